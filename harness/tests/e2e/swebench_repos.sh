# scripts/swebench-repos --from SRC DIR: the DIR/owner__name mirrors that
# --repos reads, copied from local git directories with no network: a
# fetched snapshot's layout (SRC/owner+name/repo, a git directory with no
# config) and a clone with a work tree (SRC/owner__name/.git). The copies
# hold every branch and tag, own their objects (no hard link into SRC, no
# alternates), are readable by the sandboxes' users, and a second run
# brings in what is new; a repository SRC lacks is an error naming it.
source "$(dirname "$0")/lib.sh"
G="git -c user.name=t -c user.email=t@localhost -c init.defaultBranch=main -c commit.gpgsign=false"
mkdir -p "$WORK/work" "$WORK/src/acme+widgets" "$WORK/src/other__gadgets"
$G init -q "$WORK/work/w" && echo one >"$WORK/work/w/a.txt"
$G -C "$WORK/work/w" add a.txt && $G -C "$WORK/work/w" commit -qm one && $G -C "$WORK/work/w" tag v1.0
# a snapshot as fetch leaves it: a bare git directory named repo, no config file
$G clone -q --bare "$WORK/work/w" "$WORK/src/acme+widgets/repo"
rm -f "$WORK/src/acme+widgets/repo/config"
$G clone -q "$WORK/work/w" "$WORK/src/other__gadgets"
find "$WORK/src" -type f -exec stat -c '%n %a %h' {} + | sort >"$WORK/src.before"
scripts/swebench-repos --from "$WORK/src" "$WORK/mirrors" acme/widgets other/gadgets >"$WORK/out" 2>&1 \
	|| fail "swebench-repos --from: $(cat "$WORK/out")"
for m in acme__widgets other__gadgets; do
	d=$WORK/mirrors/$m
	[ "$(git --git-dir="$d" rev-parse --is-bare-repository)" = true ] || fail "$m is not bare"
	[ "$(git --git-dir="$d" rev-parse v1.0^{commit})" = "$(git -C "$WORK/work/w" rev-parse HEAD)" ] || fail "$m lacks v1.0"
	[ ! -e "$d/objects/info/alternates" ] || fail "$m borrows objects through alternates"
	[ -z "$(git --git-dir="$d" config --get remote.origin.url)" ] || fail "$m still names its source"
	[ -z "$(find "$d" -type f -links +1)" ] || fail "$m shares files with its source (hard links)"
	[ -z "$(find "$d" ! -perm -o+r)" ] || fail "$m is not readable by other users"
done
find "$WORK/src" -type f -exec stat -c '%n %a %h' {} + | sort | cmp -s - "$WORK/src.before" || fail "SRC was changed"
# a second run updates from SRC
echo two >"$WORK/work/w/a.txt" && $G -C "$WORK/work/w" commit -qam two && $G -C "$WORK/work/w" tag v2.0
$G -C "$WORK/work/w" push -q "$WORK/src/acme+widgets/repo" main v2.0 2>/dev/null \
	|| git --git-dir="$WORK/src/acme+widgets/repo" fetch -q "$WORK/work/w" main:main v2.0:v2.0
scripts/swebench-repos --from "$WORK/src" "$WORK/mirrors" acme/widgets >"$WORK/out" 2>&1 || fail "update: $(cat "$WORK/out")"
grep -q "updating $WORK/mirrors/acme__widgets" "$WORK/out" || fail "no update: $(cat "$WORK/out")"
git --git-dir="$WORK/mirrors/acme__widgets" rev-parse -q --verify v2.0 >/dev/null || fail "the update did not bring v2.0"
# a repository SRC does not hold
scripts/swebench-repos --from "$WORK/src" "$WORK/mirrors" acme/missing >"$WORK/out" 2>&1 && fail "a missing repository passed"
grep -q "no git directory for acme/missing under $WORK/src" "$WORK/out" || fail "missing: $(cat "$WORK/out")"
echo "swebench-repos --from: a snapshot and a work tree's .git copied into DIR/owner__name (bare, own objects, readable, tags), updated by a second run, a missing one named"
