# A full disk (issue 15): a run whose run directory sits on a small tmpfs
# stops at the first failed write: no new request is sent after it, it
# exits 3 naming the file, and a resume once there is room loses nothing
# and re-sends only what was in flight. Needs root to mount the tmpfs.
source "$(dirname "$0")/lib.sh"
SERVED=$WORK/served.log
start_hostile "$SERVED"
export HOSTILE_KEY=sk-disk-test-key
mkdir -p "$WORK/disk"
mount -t tmpfs -o size=96k tmpfs "$WORK/disk" 2>"$WORK/mount.err" ||
	skip "cannot mount a tmpfs (needs root): $(cat "$WORK/mount.err")"
# lib.sh's cleanup removes $WORK: the tmpfs goes first
trap 'for p in $BG_PIDS; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; umount "$WORK/disk"; rm -rf "$WORK"' EXIT
N=300
CONC=4
for i in $(seq $N); do
	echo "{\"id\": \"d$i\", \"kind\": \"exact\", \"prompt\": \"Answer $i.\", \"reference\": \"42\"}"
done >"$WORK/suite.jsonl"
cat >"$WORK/providers.json" <<EOF
{"providers": [{"name": "plain", "protocol": "openai", "model": "plain",
  "base_url": "http://127.0.0.1:$HOSTILE_PORT/v1", "api_key_env": "HOSTILE_KEY",
  "price": {"input": 1, "output": 2, "as_of": "2026-12-04", "source": "test"},
  "max_concurrency": $CONC, "params": {"max_tokens": 64}}]}
EOF
run() {
	"$TB" run --no-preflight --suite "$WORK/suite.jsonl" --providers "$WORK/providers.json" --samples 1 --no-report \
		--out "$WORK/disk/run" "$@"
}
run >"$WORK/full.log" 2>&1
rc=$?
[ $rc = 3 ] || fail "the run on a full disk exited $rc (want 3): $(tail -3 "$WORK/full.log")"
grep -q "No space left on device" "$WORK/full.log" || fail "no ENOSPC reported: $(tail -3 "$WORK/full.log")"
grep -qE "cannot (append to|write|open|create)[^']*'$WORK/disk/run/" "$WORK/full.log" ||
	fail "the failed write does not name its file: $(grep -m3 error "$WORK/full.log")"
enospc=$(grep -c "No space left on device" "$WORK/full.log")
# what was sent: what was recorded, plus at most what was in flight when the
# first write failed
sent1=$(wc -l <"$SERVED")
kept1=$($PY -c '
import json, sys
n = 0
for l in open(sys.argv[1], errors="replace"):
    try:
        json.loads(l); n += 1
    except ValueError:
        pass
print(n)' "$WORK/disk/run/samples.jsonl")
[ "$sent1" -lt $N ] || fail "the run went on sending after the disk filled: $sent1 of $N requests"
[ "$sent1" -le $((kept1 + CONC + 1)) ] ||
	fail "$sent1 requests sent for $kept1 records: more than the $CONC in flight after the first failed write"
[ "$enospc" -le $((CONC * 3 + 2)) ] || fail "$enospc ENOSPC messages: the run did not stop at the first"
# room again: the resume finishes, loses nothing, pays again only for what was in flight
mount -o remount,size=64m "$WORK/disk" || fail "cannot grow the tmpfs"
run >"$WORK/resume.log" 2>&1
rc=$?
[ $rc = 0 ] || fail "the resume exited $rc: $(tail -3 "$WORK/resume.log")"
sent=$(wc -l <"$SERVED")
$PY - "$WORK/disk/run/samples.jsonl" $N <<'PYEOF' || exit 1
import json, sys
seen = {}
for l in open(sys.argv[1], errors='replace'):
    try:
        r = json.loads(l)
    except ValueError:
        continue  # a line torn by the full disk: the resume asked it again
    seen.setdefault((r['task'], r['sample']), []).append(r['status'])
n = int(sys.argv[2])
assert len(seen) == n, '%d of %d samples recorded' % (len(seen), n)
dup = [k for k, v in seen.items() if len(v) > 1]
assert not dup, 'recorded twice: %s' % dup[:3]
assert all(v == ['passed'] for v in seen.values()), 'not all passed'
PYEOF
[ "$sent" -le $((N + CONC)) ] || fail "$sent requests for $N samples: more than the $CONC in flight paid twice"
echo "full disk: stopped after $sent1 of $N requests ($kept1 records kept, $enospc ENOSPC messages), exit 3; resume: $N samples, $sent requests in all ($((sent - N)) paid twice, at most $CONC)"
