# Help that explains (issue 14): -h, --help and `help CMD` for every
# subcommand, the same text, every option on one line; --version and -V;
# the man page comes from the same option tables (`help --man` equals the
# committed tokenbench.1) and renders without warnings.
source "$(dirname "$0")/lib.sh"
for top in -h --help help; do
	"$TB" $top >"$WORK/top.txt" || fail "tokenbench $top exited $?"
	grep -q '^  eval-predictions ' "$WORK/top.txt" || fail "tokenbench $top lists no eval-predictions"
done
[ "$("$TB" --version)" = "$("$TB" -V)" ] || fail "--version and -V differ"
"$TB" -V | grep -qx 'tokenbench [0-9][0-9.]*' || fail "-V: $("$TB" -V)"
"$TB" help nosuch 2>"$WORK/err.txt" && fail "help nosuch exited 0"
grep -q "no command 'nosuch'" "$WORK/err.txt" || fail "help nosuch: $(cat "$WORK/err.txt")"
cmds=$(sed -n 's/^  \([a-z-]*\)  .*/\1/p' "$WORK/top.txt")
n=0
for c in $cmds; do
	"$TB" $c --help >"$WORK/$c.1" || fail "$c --help exited $?"
	"$TB" $c -h >"$WORK/$c.2" || fail "$c -h exited $?"
	"$TB" help $c >"$WORK/$c.3" || fail "help $c exited $?"
	cmp -s "$WORK/$c.1" "$WORK/$c.2" && cmp -s "$WORK/$c.1" "$WORK/$c.3" || fail "$c: -h, --help and help $c differ"
	head -1 "$WORK/$c.1" | grep -q "^usage: tokenbench $c " || fail "$c --help: $(head -1 "$WORK/$c.1")"
	# every option on one line with an explanation after it (getopt_long's table is made from
	# the same entries, help_getopt)
	bad=$(awk '/^  --/ && !/^  --[a-z-]+( [^ ]+)?  +[a-zA-Z(]/' "$WORK/$c.1")
	[ -z "$bad" ] || fail "$c --help: an option without an explanation: $bad"
	k=$(grep -c '^  --' "$WORK/$c.1")
	[ "$k" -gt 0 ] || fail "$c --help lists no option"
	n=$((n + k))
	"$TB" $c --no-such-option </dev/null >/dev/null 2>"$WORK/o.err" && fail "$c took --no-such-option"
	grep -qE "tokenbench (help $c|$c --help)" "$WORK/o.err" || fail "$c: a usage error does not point at help: $(cat "$WORK/o.err")"
done
# the man page: the committed one is what the tables give, and it renders cleanly
"$TB" help --man >"$WORK/tokenbench.1"
cmp -s "$WORK/tokenbench.1" tokenbench.1 ||
	fail "tokenbench.1 is not what \`tokenbench help --man\` writes: run ./tokenbench help --man >tokenbench.1"
warn=$(MANWIDTH=80 man --warnings -l tokenbench.1 2>&1 >/dev/null)
[ -z "$warn" ] || fail "man --warnings: $warn"
MANWIDTH=80 man -l tokenbench.1 2>/dev/null | grep -q -- '--max-attempts N' || fail "the man page has no --max-attempts"
if command -v mandoc >/dev/null; then
	lint=$(mandoc -T lint tokenbench.1 2>&1)
	[ -z "$lint" ] || fail "mandoc -T lint: $lint"
fi
echo "$(echo $cmds | wc -w) commands, $n options explained; tokenbench.1 matches and renders without warnings"
