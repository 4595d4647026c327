# House rules of harness/ that a grep can check (STYLE.md, issue 20):
# an array grows with XGROW (util/xalloc.h), never by hand with xrealloc;
# random numbers come from util/rng.c (secrets from getrandom), never from
# libc's rand/srand/random; no file is over 800 lines. engine/ is left out
# until its half of issue 20 lands (its jitter still uses rand). Planted
# violations in a copy are caught, so the check can fail.
source "$(dirname "$0")/lib.sh"

# rules ROOT: prints each violation as file:line, exits 1 when there is one
rules() {
	local root=$1 bad=0 out
	out=$(cd "$root" && grep -rnE --include='*.[ch]' '\b(x?realloc)\(' . |
		grep -vE '^\./(util/xalloc\.[ch]|engine/)')
	[ -n "$out" ] && { echo "an array grown by hand (use XGROW):"; echo "$out"; bad=1; }
	out=$(cd "$root" && grep -rnE --include='*.[ch]' '\b(s?rand|s?random|[de]rand48|rand_r)\(' . |
		grep -vE '^\./engine/')
	[ -n "$out" ] && { echo "libc's generator (use util/rng.c):"; echo "$out"; bad=1; }
	out=$(cd "$root" && find . -path ./engine -prune -o -name '*.[ch]' -print | sort | xargs wc -l |
		awk '$2 != "total" && $1 > 800 { print $2 ": " $1 " lines" }')
	[ -n "$out" ] && { echo "over 800 lines:"; echo "$out"; bad=1; }
	return $bad
}

out=$(rules harness) || fail "$out"
# a copy with one of each violation must be refused, each one named
cp -r harness "$WORK/h"
printf 'static void grow(int **v, size_t n)\n{\n\t*v = xrealloc(*v, n * sizeof(**v));\n}\n' >>"$WORK/h/stats/plot.c"
printf 'static int dice(void)\n{\n\treturn rand() %% 6;\n}\n' >>"$WORK/h/sim/sim_model.c"
seq 801 | sed 's|.*|/* filler */|' >"$WORK/h/core/big.c"
bad=$(rules "$WORK/h") && fail "the planted violations were not caught"
grep -q 'stats/plot.c:.*xrealloc' <<<"$bad" || fail "the hand-grown array was not named: $bad"
grep -q 'sim/sim_model.c:.*rand()' <<<"$bad" || fail "rand() was not named: $bad"
grep -q 'core/big.c: 801 lines' <<<"$bad" || fail "the long file was not named: $bad"
n=$(find harness -path harness/engine -prune -o -name '*.[ch]' -print | wc -l)
echo "$n files outside engine/: arrays grow with XGROW, no libc rand, none over 800 lines"
