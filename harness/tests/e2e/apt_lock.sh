# scripts/install-deps waits for the package manager's lock (issue 14):
# scripts/apt-lock-wait, which install-deps runs before each apt-get, waits
# while another process holds the lock (a POSIX lock, as apt and dpkg take,
# or flock) and goes on when it is let go; past its bound it fails with a
# message naming the lock and its holder. A lock file of the test's own:
# the machine's apt lock is never touched.
source "$(dirname "$0")/lib.sh"
lock=$WORK/lock-frontend
: >"$lock"
grep -q 'apt-lock-wait' scripts/install-deps || fail "install-deps does not wait for the lock"
# nothing holds it: no wait
TOKENBENCH_APT_LOCK=$lock TOKENBENCH_APT_LOCK_WAIT=5 timeout 10 scripts/apt-lock-wait 2>"$WORK/free.err" ||
	fail "a free lock: exit $?: $(cat "$WORK/free.err")"
[ -s "$WORK/free.err" ] && fail "a free lock: $(cat "$WORK/free.err")"
# held for 3 s (fcntl, as apt takes it): waits, then goes on
$PY -c 'import fcntl, sys, time
f = open(sys.argv[1], "w"); fcntl.lockf(f, fcntl.LOCK_EX); print("held", flush=True); time.sleep(3)' "$lock" >"$WORK/holder.out" &
holder=$!
BG_PIDS="$BG_PIDS $holder"
for _ in $(seq 50); do grep -q held "$WORK/holder.out" && break; sleep 0.1; done
start=$(date +%s%N)
TOKENBENCH_APT_LOCK=$lock TOKENBENCH_APT_LOCK_WAIT=30 timeout 40 scripts/apt-lock-wait 2>"$WORK/wait.err" ||
	fail "a lock let go after 3 s: exit $?: $(cat "$WORK/wait.err")"
ms=$((($(date +%s%N) - start) / 1000000))
echo "waited ${ms} ms: $(cat "$WORK/wait.err")"
[ "$ms" -ge 1500 ] || fail "did not wait for the lock (${ms} ms)"
grep -q "waiting for the package manager's lock $lock, held by python3 (pid $holder)" "$WORK/wait.err" ||
	fail "wait message: $(cat "$WORK/wait.err")"
wait "$holder"
# held past the bound (flock this time): a clear failure, in bounded time
$PY -c 'import fcntl, sys, time
f = open(sys.argv[1], "w"); fcntl.flock(f, fcntl.LOCK_EX); print("held", flush=True); time.sleep(20)' "$lock" >"$WORK/holder2.out" &
holder=$!
BG_PIDS="$BG_PIDS $holder"
for _ in $(seq 50); do grep -q held "$WORK/holder2.out" && break; sleep 0.1; done
TOKENBENCH_APT_LOCK=$lock TOKENBENCH_APT_LOCK_WAIT=2 timeout 15 scripts/apt-lock-wait 2>"$WORK/late.err"
rc=$?
kill "$holder"
[ $rc = 1 ] || fail "a lock held past the bound: exit $rc (want 1): $(cat "$WORK/late.err")"
grep -q "lock $lock is still held by python3 (pid $holder) after 2 s" "$WORK/late.err" ||
	fail "time-out message: $(cat "$WORK/late.err")"
echo "waits while the lock is held, goes on when it is let go, gives up after its bound with a message"
