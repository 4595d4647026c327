# The red-team corpus (tests/redteam/): hostile answers scored through
# eval-predictions inside their own pid, mount and network namespaces. Fails
# when any case misbehaves; skips (77) only when this machine cannot run it.
source "$(dirname "$0")/lib.sh"
out=$WORK/redteam.log
/usr/bin/python3 tests/redteam/run --tokenbench "$TB" >"$out" 2>&1
rc=$?
cat "$out"
[ $rc = 77 ] && skip "$(sed -n 's/^skipped: //p' "$out")"
[ $rc = 0 ] || fail "the red-team corpus: $(tail -n 1 "$out")"
tail -n 1 "$out"
