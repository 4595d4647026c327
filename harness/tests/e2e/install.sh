# Install like a Debian tool (issue 14): make install into a temporary
# DESTDIR; from / the installed program finds its data (the simulator's
# demo profiles and starter suites, a starter-suite run), the man page
# renders without warnings, bash completion completes subcommands, options
# and provider names; make uninstall leaves nothing behind.
source "$(dirname "$0")/lib.sh"
root=$WORK/root
make -s install DESTDIR="$root" PREFIX=/usr >"$WORK/install.log" 2>&1 || fail "make install: $(tail -5 "$WORK/install.log")"
bin=$root/usr/bin/tokenbench
for f in "$bin" "$root/usr/share/man/man1/tokenbench.1" "$root/usr/share/bash-completion/completions/tokenbench" \
	"$root/usr/share/tokenbench/providers/demo.json" "$root/usr/share/tokenbench/tasks/starter/starter.jsonl" \
	"$root/usr/share/tokenbench/tasks/swebench/envs/debian12.json" "$root/usr/share/tokenbench/tasks/swebench/shims/with_httpbin.py" \
	"$root/usr/share/tokenbench/tasks/swe-starter/swe-starter.jsonl"; do
	[ -f "$f" ] || fail "make install did not write ${f#$root}"
done
# the simulator, from /, with its default profiles and suites (the installed ones)
SIM_LOG=$WORK/sim.log
(cd / && exec "$bin" sim --listen 127.0.0.1:0 >"$SIM_LOG" 2>&1) &
SIM_PID=$!
BG_PIDS="$BG_PIDS $SIM_PID"
wait_port SIM_PORT "$SIM_LOG" "$SIM_LISTENING" "the installed simulator (from /)"
# a starter-suite run from /, by the names the README uses
head -4 tasks/starter/starter.jsonl | $PY -c 'import json,sys; [print(json.loads(l)["id"]) for l in sys.stdin]' >"$WORK/ids.txt"
(cd / && TOKENBENCH_SIM_PORT=$SIM_PORT "$bin" run --suite tasks/starter --instances "$WORK/ids.txt" \
	--providers providers/demo.json --out "$WORK/run" --quiet) >"$WORK/run.log" 2>&1 ||
	fail "the installed run from / exited $?: $(tail -5 "$WORK/run.log")"
kill "$SIM_PID"
n=$(count "$WORK/run/samples.jsonl" "r['status'] in ('passed', 'failed')")
[ "$n" = 20 ] || fail "the installed run scored $n samples (want 4 tasks x 5 providers)"
grep -q "$root/usr/share/tokenbench/tasks/starter" "$WORK/run/run.json" || fail "run.json does not name the installed suite"
# the man page
warn=$(MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/tokenbench.1" 2>&1 >/dev/null)
[ -z "$warn" ] || fail "man --warnings: $warn"
# bash completion: the installed script, the installed program
out=$(PATH=$root/usr/bin:$PATH bash -c '
	source "$1/usr/share/bash-completion/completions/tokenbench"
	complete -p tokenbench
	c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _tokenbench; echo "${COMPREPLY[*]}"; }
	c tokenbench r
	c tokenbench help ev
	c tokenbench run --max-a
	c tokenbench plot DIR --providers "$1/usr/share/tokenbench/providers/demo.json" --ref sim-b
	c tokenbench compare "$2" sim-f
	c tokenbench report DIR --table pa
	echo "compgen: $(compgen -W "$(tokenbench help | sed -n "s/^  \([a-z-]*\)  .*/\1/p")" -- pl | paste -sd " ")"
' _ "$root" "$WORK/run")
echo "$out"
want="complete -F _tokenbench tokenbench
run report reprice
eval-predictions
--max-attempts
sim-balanced sim-budget-mini
sim-frontier-xl
pairs pass_at_k
compgen: plot plan"
[ "$out" = "$want" ] || fail "completion gave
$out
want
$want"
make -s uninstall DESTDIR="$root" PREFIX=/usr >/dev/null 2>&1 || fail "make uninstall exited $?"
left=$(find "$root" -type f | head -3)
[ -z "$left" ] || fail "make uninstall left $left"
echo "installed, ran the simulator and 20 starter samples from /, man page clean, completion right, uninstalled"
