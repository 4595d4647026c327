# The same simulated model over four wires (OpenAI and Anthropic, plain and
# streamed): the same answers and the same normalised usage; streams record
# the time to first token; Anthropic's input_tokens exclude the cache. The
# model reasons: over OpenAI's protocol it always does (reasoning_tokens,
# part of completion_tokens), over Anthropic's only when the request enables
# thinking, which tokenbench's does not, so there its output is the answer
# alone. (Until the simulator's wire fix, Anthropic reported the reasoning
# tokens too, and this test compared the outputs as equal.)
source "$(dirname "$0")/lib.sh"
$PY - providers/demo.json "$WORK/providers.json" <<'PYEOF'
import json, sys
base = [p for p in json.load(open(sys.argv[1]))['providers'] if p['name'] == 'sim-balanced'][0]
out = []
for proto in ('openai', 'anthropic'):
    for stream in (False, True):
        p = json.loads(json.dumps(base))
        p['name'] = proto + ('-stream' if stream else '')
        p['protocol'] = proto
        if stream:
            p['params']['stream'] = True
        out.append(p)
json.dump(out, open(sys.argv[2], 'w'))
PYEOF
start_sim
export TOKENBENCH_SIM_PORT=$SIM_PORT
"$TB" run --suite tasks/starter --providers "$WORK/providers.json" --limit 6 --samples 2 --out "$WORK/run" --quiet \
	|| fail "run exited $?"
stop_sim >/dev/null
$PY - "$WORK/run/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
by = {}
for r in map(json.loads, open(sys.argv[1])):
    by.setdefault((r['task'], r['sample']), {})[r['provider']] = r
assert len(by) == 12, len(by)
for key, rs in by.items():
    assert len(rs) == 4, (key, rs.keys())
    st = {p: r['status'] for p, r in rs.items()}
    assert len(set(st.values())) == 1, (key, st)
    core = {p: (r['usage']['input'], r['usage']['cached_input']) for p, r in rs.items()}
    assert len(set(core.values())) == 1, (key, core)
    # streamed or not, the same usage
    for proto in ('openai', 'anthropic'):
        assert rs[proto]['usage'] == rs[proto + '-stream']['usage'], (key, proto)
    o, a = rs['openai']['usage'], rs['anthropic']['usage']
    assert o['reasoning'] > 0 and a['reasoning'] == 0, (key, o, a)
    assert a['output'] == o['output'] - o['reasoning'], (key, o, a)
    a = rs['anthropic']
    assert a['usage']['input'] == a['raw_usage']['input_tokens'], a
    assert a['usage']['cached_input'] == a['raw_usage']['cache_read_input_tokens'], a
    o = rs['openai']
    assert o['usage']['input'] + o['usage']['cached_input'] == o['raw_usage']['prompt_tokens'], o
    for p, r in rs.items():
        if p.endswith('-stream'):
            assert 0 < r['ttft_ms'] <= r['latency_ms'] and r['output_tps'] > 0, r
        else:
            assert 'ttft_ms' not in r, r
print('ok')
PYEOF
echo "4 wires x 12 samples: identical outcomes and usage; streams carry ttft_ms and output_tps"
