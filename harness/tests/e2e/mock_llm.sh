# tokenbench against a server nobody here wrote: @dwmkerr/mock-llm (npm,
# pinned in scripts/sdk-tests/package.json), an OpenAI-compatible mock
# whose rules (its README: path, JMESPath match, response status and
# content) return the reference answers, with a usage block and without,
# plain and streamed (its streams never carry usage), and an error: as an
# HTTP 500, and streamed, where mock-llm sends it inside a 200 stream as
# OpenAI's streaming errors are. It listens on 127.0.0.1 only (HOST).
# Records: usage and price_table cost where a usage block came, an
# estimate (cost_source "estimate") where none did, the error in the stream
# an infrastructure error (stream_error) with the cost an HTTP error has.
source "$(dirname "$0")/lib.sh"
MOCK=$PWD/scripts/sdk-tests/node_modules/@dwmkerr/mock-llm/dist/main.js
command -v node >/dev/null || skip "node is not installed (scripts/install-deps installs it)"
[ -f "$MOCK" ] || skip "npm package @dwmkerr/mock-llm is not in scripts/sdk-tests/node_modules (run scripts/install-deps)"
port=$(free_port)
$PY - "$WORK" "$port" <<'PYEOF'
import json, sys
work, port = sys.argv[1], sys.argv[2]
tasks = [('add/0', 'What is 2 + 3?', '5'), ('add/1', 'What is 4 + 4?', '8'), ('add/2', 'What is 10 + 7?', '17')]
with open(work + '/suite.jsonl', 'w') as f:
    for tid, q, a in tasks:
        f.write(json.dumps({'id': tid, 'kind': 'exact', 'difficulty': 1, 'prompt': q, 'reference': a}) + '\n')
def answer(model, text, usage):
    body = {'id': 'chatcmpl-mock', 'object': 'chat.completion', 'created': 1764000000, 'model': model,
            'choices': [{'index': 0, 'message': {'role': 'assistant', 'content': text}, 'finish_reason': 'stop'}]}
    if usage:
        body['usage'] = {'prompt_tokens': 30, 'completion_tokens': 2, 'total_tokens': 32,
                         'prompt_tokens_details': {'cached_tokens': 10}}
    return json.dumps(body)
rules = []
for model, usage in (('mock-usage', True), ('mock-nousage', False)):
    for tid, q, a in tasks:
        rules.append({'path': '/v1/chat/completions', 'method': 'POST',
                      'match': "body.model == '%s' && contains(body.messages[-1].content, '%s')" % (model, q),
                      'response': {'status': 200, 'content': answer(model, a, usage)}})
rules.append({'path': '/v1/chat/completions', 'method': 'POST', 'match': "body.model == 'mock-error'",
              'response': {'status': 500, 'content': json.dumps({'error': {
                  'message': 'The server had an error while processing your request.', 'type': 'server_error',
                  'param': None, 'code': None}})}})
# JSON is YAML: mock-llm reads it as its config file
json.dump({'streaming': {'chunkSize': 4, 'chunkIntervalMs': 1}, 'rules': rules}, open(work + '/mock.yaml', 'w'))
def prov(name, model, stream):
    p = {'name': name, 'protocol': 'openai', 'base_url': 'http://127.0.0.1:%s/v1' % port, 'model': model,
         'api_key_env': 'NONE', 'max_concurrency': 2, 'params': {'max_tokens': 64},
         'price': {'input': 1, 'output': 2, 'cached_input': 0.5, 'as_of': '2026-12-01', 'source': 'test'}}
    if stream:
        p['params']['stream'] = True
    return p
json.dump([prov('usage', 'mock-usage', False), prov('usage-stream', 'mock-usage', True),
           prov('nousage', 'mock-nousage', False), prov('http-error', 'mock-error', False),
           prov('stream-error', 'mock-error', True)], open(work + '/providers.json', 'w'))
PYEOF
HOST=127.0.0.1 PORT=$port node "$MOCK" --config "$WORK/mock.yaml" >"$WORK/mock.log" 2>&1 &
BG_PIDS="$BG_PIDS $!"
wait_port up "$WORK/mock.log" "s/.*server running on 127.0.0.1:\\($port\\).*/\\1/p" "mock-llm"
# the mock answers only the prompts its rules script (and http-error fails
# on purpose): preflight's one-token completion would stop the run
"$TB" run --suite "$WORK/suite.jsonl" --providers "$WORK/providers.json" --max-attempts 2 --out "$WORK/run" --quiet \
	--no-preflight >"$WORK/run.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "exit $rc (want 1: finished with errors): $(tail -3 "$WORK/run.log")"
$PY - "$WORK/run/samples.jsonl" <<'PYEOF' || exit 1
import json, sys
by = {}
for r in map(json.loads, open(sys.argv[1])):
    by.setdefault(r['provider'], []).append(r)
assert sorted(by) == ['http-error', 'nousage', 'stream-error', 'usage', 'usage-stream'], sorted(by)
for p, rs in by.items():
    assert len(rs) == 3, (p, len(rs))
for r in by['usage']:
    assert r['status'] == 'passed' and r['cost_source'] == 'price_table' and not r.get('usage_estimated'), r
    assert r['usage'] == {'input': 20, 'cached_input': 10, 'cache_write': 0, 'output': 2, 'reasoning': 0}, r['usage']
    assert abs(r['cost_usd'] - (20 * 1 + 10 * 0.5 + 2 * 2) / 1e6) < 1e-15, r['cost_usd']
for p in ('usage-stream', 'nousage'):
    for r in by[p]:
        assert r['status'] == 'passed', (p, r)
        assert r['cost_source'] == 'estimate' and r['usage_estimated'] and r['usage']['output'] > 0, (p, r)
        assert r['cost_usd'] > 0, (p, r)
for r in by['usage-stream']:
    assert r['ttft_ms'] is not None and r['ttft_ms'] <= r['latency_ms'], r
http, stream = by['http-error'], by['stream-error']
for r in http:
    assert r['status'] == 'error' and r['error_kind'] == 'http_500' and r['attempts'] == 2, r
for r in stream:
    assert r['status'] == 'error' and r['error_kind'] == 'stream_error' and r['attempts'] == 2, r
    assert 'The server had an error' in r['detail'], r
# the same cost convention for the error in the stream as for the HTTP error
conv = lambda r: (r['cost_usd'], r.get('cost_source'), r['usage'])
assert {json.dumps(conv(r)) for r in stream} == {json.dumps(conv(r)) for r in http}, ([conv(r) for r in stream], [conv(r) for r in http])
print('ok')
PYEOF
"$TB" report "$WORK/run" --format json | $PY -c "
import json, sys
s = {p['name']: p for p in json.load(sys.stdin)['providers']}
assert s['stream-error']['errors'] == 3 and s['stream-error']['failed'] == 0, s['stream-error']
" || fail "the report does not count the stream's error as an error"
echo "mock-llm: usage block priced from the table, none (plain or streamed) estimated, the error inside a 200 stream an infrastructure error costing what the HTTP 500 costs"
