# The tree keeps its shape (scripts/check-structure): no cast that drops
# const anywhere in harness/, arrays grown with XGROW only, no libc random
# numbers, no file over 800 lines (engine/: 600). A small tree with each
# kind of violation planted must be refused, each one named, so the check
# can fail.
source "$(dirname "$0")/lib.sh"
out=$(scripts/check-structure 2>&1) || fail "$out"
# the planted tree: util/ as it is, and four violations
mkdir -p "$WORK/t/harness/engine" "$WORK/t/harness/core" "$WORK/t/scripts"
cp -r harness/util "$WORK/t/harness/"
cp scripts/check-structure "$WORK/t/scripts/"
cat >"$WORK/t/harness/util/planted.c" <<'EOF'
#include <stdlib.h>
void planted_free(const char *s);
void planted_free(const char *s) { free((void *)s); }
char *planted_literal(void);
char *planted_literal(void) { return (char *)"x"; }
void planted_grow(int **v, size_t n);
void planted_grow(int **v, size_t n) { *v = realloc(*v, n * sizeof(**v)); }
int planted_dice(void);
int planted_dice(void) { return rand() % 6; }
EOF
for i in $(seq 601); do echo "/* $i */"; done >"$WORK/t/harness/engine/long.c"
for i in $(seq 801); do echo "/* $i */"; done >"$WORK/t/harness/core/long.c"
bad=$("$WORK/t/scripts/check-structure" 2>&1) && fail "the planted violations were not caught"
grep -q 'harness/util/planted.c:3: cast discards' <<<"$bad" || fail "a typed cast dropping const was not named: $bad"
grep -q 'harness/util/planted.c:5: a cast to a non-const char pointer' <<<"$bad" ||
	fail "a string literal cast to char * was not named: $bad"
grep -q 'harness/util/planted.c:7: an array grown by hand' <<<"$bad" || fail "a hand-grown array was not named: $bad"
grep -q "harness/util/planted.c:9: libc's generator" <<<"$bad" || fail "rand() was not named: $bad"
grep -q 'harness/engine/long.c:601: 601 lines, over 600' <<<"$bad" || fail "an engine file over 600 lines was not named: $bad"
grep -q 'harness/core/long.c:801: 801 lines, over 800' <<<"$bad" || fail "a file over 800 lines was not named: $bad"
grep -q '^6 against the structure$' <<<"$bad" || fail "not exactly the six planted violations: $bad"
echo "$out"
