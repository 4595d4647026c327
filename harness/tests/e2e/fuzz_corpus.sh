# The fuzz corpora (harness/tests/fuzz/corpus/NAME: seeds, what make fuzz
# found worth keeping, and every crash found so far) replayed through each
# target with the normal compiler under AddressSanitizer and UBSan.
source "$(dirname "$0")/lib.sh"
R=$PWD/build/fuzz-replay
[ -x "$R" ] || fail "no build/fuzz-replay: run make build/fuzz-replay (make test builds it)"
total=0
for dir in harness/tests/fuzz/corpus/*/; do
	name=$(basename "$dir")
	out=$(UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$R" "$name" "$dir" 2>"$WORK/$name.err") ||
		fail "$name: $(grep -m3 -E 'ERROR|runtime error|usage' "$WORK/$name.err")"
	! grep -q "runtime error" "$WORK/$name.err" || fail "$name: $(grep -m1 'runtime error' "$WORK/$name.err")"
	n=${out##*: }
	total=$((total + ${n%% *}))
done
[ "$total" -gt 0 ] || fail "no corpus replayed"
echo "fuzz corpora replayed: $total inputs through $(ls -d harness/tests/fuzz/corpus/*/ | wc -l) targets, no sanitizer report"
