#!/usr/bin/python3
"""kill_step.py - signals a sandboxed step of one tokenbench process from
outside, as an operator or another program would (used by e2e step_killed).

  kill_step.py TBPID WHAT MATCH SIGNAL [AFTER_S]

Looks only among TBPID's descendants (never another process on the
machine). WHAT is "bwrap": the outer bubblewrap of the step (a child of
TBPID) whose command line contains MATCH; or "inner": a process inside the
sandbox, not a bwrap, whose command line contains MATCH. Once found it waits
AFTER_S seconds (default 0) and sends SIGNAL (KILL, TERM, ...). Polls every
millisecond for up to 60 s; prints what it signalled, exit 1 when it found
nothing."""
import os
import signal
import sys
import time


def children(pid):
    out = []
    try:
        for tid in os.listdir('/proc/%d/task' % pid):
            with open('/proc/%d/task/%s/children' % (pid, tid)) as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def cmdline(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            return f.read().replace(b'\0', b' ').decode('utf-8', 'replace')
    except OSError:
        return ''


def comm(pid):
    try:
        with open('/proc/%d/comm' % pid) as f:
            return f.read().strip()
    except OSError:
        return ''


def find(tb, what, match):
    if what == 'bwrap':
        for c in children(tb):
            if comm(c) == 'bwrap' and match in cmdline(c):
                return c
        return None
    stack, seen = children(tb), 0
    while stack and seen < 10000:
        p = stack.pop()
        seen += 1
        if comm(p) != 'bwrap' and match in cmdline(p):
            return p
        stack += children(p)
    return None


def main():
    tb, what, match, sig = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    after = float(sys.argv[5]) if len(sys.argv) > 5 else 0
    signum = getattr(signal, 'SIG' + sig)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        pid = find(tb, what, match)
        if pid:
            time.sleep(after)
            os.kill(pid, signum)
            print('sent SIG%s to %s %d (%s)' % (sig, what, pid, cmdline(pid)[:80]))
            return 0
        time.sleep(0.001)
    print('no %s matching %r under %d' % (what, match, tb))
    return 1


sys.exit(main())
