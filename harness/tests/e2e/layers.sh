# The tree keeps its layers (scripts/check-layers): no file of harness/
# includes a header of a higher layer, and every include names its folder.
# A planted upward include is caught, so the check can fail.
source "$(dirname "$0")/lib.sh"
out=$(scripts/check-layers 2>&1) || fail "$out"
# a copy of the tree with util/ including a command header must be refused
cp -r harness scripts "$WORK/"
echo '#include "cmd/cmd.h"' >>"$WORK/harness/util/buf.c"
bad=$("$WORK/scripts/check-layers" 2>&1) && fail "an include from util/ up to cmd/ was not caught"
grep -q 'util/buf.c:.*cmd/cmd.h' <<<"$bad" || fail "the violation was not named: $bad"
echo "$out"
