// sdk-test.mjs - the official OpenAI and Anthropic SDKs (package.json pins
// them) as clients of `tokenbench sim`, the way a user pointing their own
// code at it would call it. Each check compares with what the SDK's types
// and the API's documentation require, never with what the simulator
// happens to answer. Run by harness/tests/e2e/sdk_clients.sh, which starts
// the simulator with the profiles named here:
//   node scripts/sdk-tests/sdk-test.mjs http://127.0.0.1:PORT
// Last line: "N passed, N failed"; exit code 1 on any failure.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const base = process.argv[2];
if (!/^http:\/\/(127\.0\.0\.1|\[::1\]):\d+$/.test(base || '')) {
  console.error('usage: node sdk-test.mjs http://127.0.0.1:PORT (a loopback simulator)');
  process.exit(2);
}
let passed = 0, failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
function eq(a, b, what) {
  assert(a === b, `${what}: ${JSON.stringify(a)}, want ${JSON.stringify(b)}`);
}
// the promise rejects with an instance of cls; returns the error
async function rejects(promise, cls, what) {
  let e;
  try {
    await promise;
  } catch (err) {
    e = err;
  }
  assert(e, `${what}: no error, want ${cls.name}`);
  assert(e instanceof cls, `${what}: ${e.constructor.name} (${e.message}), want ${cls.name}`);
  return e;
}
// a text's tokens are never more than its characters (plus the few a
// message's framing may add): what the 642-tokens-for-108-characters bug broke
function plausibleTokens(tokens, text, what) {
  assert(Number.isInteger(tokens) && tokens >= 0, `${what}: ${tokens} is not a token count`);
  assert(tokens <= text.length + 8, `${what}: ${tokens} tokens for ${text.length} characters`);
}

const prompt = [{ role: 'user', content: 'Write a Python function add(a, b) that returns a + b.' }];
const oa = (opts = {}) => new OpenAI({ baseURL: `${base}/v1`, apiKey: 'sk-sdk-test', maxRetries: 0, timeout: 10000, ...opts });
const an = (opts = {}) => new Anthropic({ baseURL: base, apiKey: 'sk-ant-sdk-test', maxRetries: 0, timeout: 10000, ...opts });
let uniq = 0; // each request its own body: the simulator draws faults per body and attempt
const body = (model, extra = {}) => ({ model, messages: prompt, max_tokens: 2048, seed: ++uniq, ...extra });

// ---- OpenAI chat completions ----

function checkUsage(u, what) {
  assert(u, `${what}: no usage`);
  eq(u.total_tokens, u.prompt_tokens + u.completion_tokens, `${what}: total_tokens`);
  const r = u.completion_tokens_details?.reasoning_tokens ?? 0;
  assert(r <= u.completion_tokens, `${what}: reasoning_tokens ${r} > completion_tokens ${u.completion_tokens}`);
  assert((u.prompt_tokens_details?.cached_tokens ?? 0) <= u.prompt_tokens, `${what}: cached_tokens > prompt_tokens`);
  return r;
}

await check('openai: plain completion, usage and x-request-id', async () => {
  const { data: c, response } = await oa().chat.completions.create(body('sdk-reasoner')).withResponse();
  eq(c.object, 'chat.completion', 'object');
  eq(c.model, 'sdk-reasoner', 'model');
  assert(typeof c.id === 'string' && Number.isInteger(c.created), 'id and created');
  eq(c.choices.length, 1, 'choices');
  const ch = c.choices[0];
  eq(ch.index, 0, 'index');
  eq(ch.message.role, 'assistant', 'role');
  assert(typeof ch.message.content === 'string' && ch.message.content.length > 0, 'content');
  assert(['stop', 'length'].includes(ch.finish_reason), `finish_reason ${ch.finish_reason}`);
  const r = checkUsage(c.usage, 'usage');
  assert(r > 0, 'a reasoning model reports reasoning_tokens');
  plausibleTokens(c.usage.completion_tokens - r, ch.message.content, 'visible completion tokens');
  assert(/^req_/.test(c._request_id), `_request_id ${c._request_id}`);
  eq(c._request_id, response.headers.get('x-request-id'), '_request_id is the x-request-id header');
  assert(Number(response.headers.get('x-ratelimit-remaining-requests')) >= 0, 'x-ratelimit-remaining-requests');
  assert(response.headers.get('x-ratelimit-reset-requests'), 'x-ratelimit-reset-requests');
});

await check('openai: reasoning_effort "none" reasons not at all', async () => {
  const c = await oa().chat.completions.create(body('sdk-reasoner', { reasoning_effort: 'none' }));
  eq(c.usage.completion_tokens_details.reasoning_tokens, 0, 'reasoning_tokens');
  plausibleTokens(c.usage.completion_tokens, c.choices[0].message.content, 'completion_tokens');
});

await check('openai: chat.completions.stream(...).finalChatCompletion() with include_usage', async () => {
  const chunks = [];
  const s = oa().chat.completions.stream(body('sdk-reasoner', { stream_options: { include_usage: true } }));
  s.on('chunk', (ch) => chunks.push(ch));
  const final = await s.finalChatCompletion();
  eq(final.choices[0].message.role, 'assistant', 'role');
  const text = chunks.flatMap((ch) => ch.choices.map((c) => c.delta.content ?? '')).join('');
  eq(final.choices[0].message.content, text, 'content is the deltas joined');
  eq(chunks[0].choices[0].delta.role, 'assistant', 'first delta carries the role');
  eq(chunks.at(-1).choices.length, 0, 'the usage chunk has no choices');
  checkUsage(chunks.at(-1).usage, 'last chunk usage');
  for (const ch of chunks.slice(0, -1)) eq(ch.usage, null, 'usage of the other chunks');
  eq(final.usage.total_tokens, chunks.at(-1).usage.total_tokens, 'finalChatCompletion usage');
  eq(final.choices[0].finish_reason, chunks.at(-2).choices[0].finish_reason, 'finish_reason');
  assert(new Set(chunks.map((c) => c.id)).size === 1, 'every chunk has the same id');
});

await check('openai: n = 2, plain and streamed', async () => {
  const c = await oa().chat.completions.create(body('sdk-plain', { n: 2 }));
  eq(c.choices.length, 2, 'choices');
  eq(c.choices.map((x) => x.index).join(), '0,1', 'indices');
  checkUsage(c.usage, 'usage');
  const final = await oa().chat.completions.stream(body('sdk-plain', { n: 2 })).finalChatCompletion();
  eq(final.choices.length, 2, 'streamed choices');
  for (const ch of final.choices) {
    eq(ch.message.role, 'assistant', 'streamed role');
    assert(ch.message.content.length > 0 && ch.finish_reason, 'streamed content and finish_reason');
  }
});

await check('openai: models list and retrieve', async () => {
  const ids = [];
  for await (const m of oa().models.list()) {
    eq(m.object, 'model', 'object');
    assert(typeof m.owned_by === 'string' && Number.isInteger(m.created), 'owned_by, created');
    ids.push(m.id);
  }
  assert(ids.includes('sdk-plain') && ids.includes('sdk-reasoner'), `list: ${ids}`);
  eq((await oa().models.retrieve('sdk-plain')).id, 'sdk-plain', 'retrieve');
  const e = await rejects(oa().models.retrieve('no-such-model'), OpenAI.NotFoundError, 'retrieve unknown');
  eq(e.status, 404, 'status');
});

await check('openai: errors as the SDK types them, with code, status and request id', async () => {
  let e = await rejects(oa().chat.completions.create(body('sdk-429')), OpenAI.RateLimitError, '429');
  eq(e.status, 429, '429 status');
  eq(e.code, 'rate_limit_exceeded', '429 code');
  eq(e.headers.get('retry-after'), '1', 'Retry-After');
  assert(/^req_/.test(e.requestID), `requestID ${e.requestID}`);
  e = await rejects(oa().chat.completions.create(body('sdk-500')), OpenAI.InternalServerError, '500');
  eq(e.status, 500, '500 status');
  eq(e.type, 'server_error', '500 type');
  e = await rejects(oa().chat.completions.create(body('sdk-503')), OpenAI.InternalServerError, '503');
  eq(e.status, 503, '503 status');
  e = await rejects(oa({ apiKey: 'sk-echo-4242' }).chat.completions.create(body('sdk-auth')), OpenAI.AuthenticationError, 'auth');
  eq(e.status, 401, 'auth status');
  eq(e.code, 'invalid_api_key', 'auth code');
  assert(e.message.includes('sk-echo-4242'), 'the fault echoes the Bearer key');
  e = await rejects(oa().chat.completions.create(body('no-such-model')), OpenAI.NotFoundError, 'unknown model');
  eq(e.code, 'model_not_found', 'unknown model code');
  e = await rejects(oa().chat.completions.create({ model: 'sdk-plain' }), OpenAI.BadRequestError, 'no messages');
  eq(e.param, 'messages', 'no messages param');
  await rejects(oa().chat.completions.create(body('sdk-reset')), OpenAI.APIConnectionError, 'reset');
  await rejects(oa({ timeout: 300 }).chat.completions.create(body('sdk-stall')), OpenAI.APIConnectionTimeoutError, 'stall');
  await rejects(oa().chat.completions.stream(body('sdk-truncate')).finalChatCompletion(), OpenAI.OpenAIError, 'truncated stream');
  e = await rejects(oa().chat.completions.stream(body('sdk-streamerr')).finalChatCompletion(), OpenAI.APIError, 'error in a 200 stream');
  eq(e.type, 'server_error', 'stream error type');
  // a 200 whose body is not JSON: the SDK's JSON parser throws
  await rejects(oa().chat.completions.create(body('sdk-malformed')), SyntaxError, 'a 200 that is not JSON');
  const c = await oa().chat.completions.create(body('sdk-nousage'));
  eq(c.usage, undefined, 'no_usage: usage');
});

await check('openai: the SDK\'s own retry honours Retry-After', async () => {
  const t0 = Date.now();
  const c = await oa({ maxRetries: 2 }).chat.completions.create(body('sdk-429'));
  const ms = Date.now() - t0;
  eq(c.choices[0].message.role, 'assistant', 'answer after the retry');
  // the SDK's own backoff before a first retry is at most 0.5 s; Retry-After says 1 s
  assert(ms >= 950, `answered after ${ms} ms: Retry-After: 1 not honoured`);
});

// ---- OpenAI dialects ----

await check('openrouter: usage.cost is the tokens at the prices /api/v1/models lists', async () => {
  const or = new OpenAI({ baseURL: `${base}/api/v1`, apiKey: 'sk-or-test', maxRetries: 0, timeout: 10000 });
  const { data: c, response } = await or.chat.completions.create(body('sdk-openrouter')).withResponse();
  const u = c.usage;
  checkUsage(u, 'usage');
  assert(typeof u.cost === 'number' && u.cost > 0, `cost ${u.cost}`);
  eq(u.is_byok, false, 'is_byok');
  assert('cost_details' in u, 'cost_details');
  assert(typeof c.choices[0].message.reasoning === 'string', 'message.reasoning');
  eq(response.headers.get('x-generation-id'), c.id, 'X-Generation-Id');
  const list = await (await fetch(`${base}/api/v1/models`)).json();
  const p = list.data.find((m) => m.id === 'sdk-openrouter').pricing;
  const cached = u.prompt_tokens_details.cached_tokens, written = u.prompt_tokens_details.cache_write_tokens;
  const want = (u.prompt_tokens - cached - written) * p.prompt + cached * p.input_cache_read +
    written * p.input_cache_write + u.completion_tokens * p.completion;
  assert(Math.abs(want - u.cost) < 1e-12, `cost ${u.cost}, the listed prices give ${want}`);
  const final = await or.chat.completions.stream(body('sdk-openrouter')).finalChatCompletion();
  assert(final.usage && typeof final.usage.cost === 'number', 'a stream has its usage without stream_options');
  const e = await rejects(or.chat.completions.create(body('no-such-model')), OpenAI.NotFoundError, 'unknown model');
  eq(e.code, 404, 'OpenRouter error code is the HTTP status');
});

await check('deepseek: prompt_cache_hit_tokens + prompt_cache_miss_tokens = prompt_tokens', async () => {
  const c = await oa().chat.completions.create(body('sdk-deepseek'));
  const u = c.usage;
  eq(u.prompt_cache_hit_tokens + u.prompt_cache_miss_tokens, u.prompt_tokens, 'hit + miss');
  assert(typeof c.choices[0].message.reasoning_content === 'string', 'reasoning_content');
  eq(u.completion_tokens_details.reasoning_tokens > 0, true, 'reasoning_tokens');
});

// ---- Anthropic messages ----

const msg = (model, extra = {}) => ({ model, messages: prompt, max_tokens: 4096, metadata: { user_id: `sdk-${++uniq}` }, ...extra });
const textOf = (m) => m.content.filter((b) => b.type === 'text').map((b) => b.text).join('');

function checkMessage(m, what) {
  eq(m.type, 'message', `${what}: type`);
  eq(m.role, 'assistant', `${what}: role`);
  assert(['end_turn', 'max_tokens'].includes(m.stop_reason), `${what}: stop_reason ${m.stop_reason}`);
  for (const k of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'])
    assert(Number.isInteger(m.usage[k]), `${what}: usage.${k}`);
}

await check('anthropic: plain message; no thinking unless asked, output_tokens from the text', async () => {
  const { data: m, response } = await an().messages.create(msg('sdk-reasoner')).withResponse();
  checkMessage(m, 'message');
  assert(m.content.every((b) => b.type === 'text'), 'only text blocks: thinking was not enabled');
  plausibleTokens(m.usage.output_tokens, textOf(m), 'output_tokens');
  assert(/^req_/.test(m._request_id), `_request_id ${m._request_id}`);
  eq(m._request_id, response.headers.get('request-id'), '_request_id is the request-id header');
  assert(Number(response.headers.get('anthropic-ratelimit-requests-remaining')) >= 0, 'anthropic-ratelimit-requests-remaining');
  assert(!isNaN(Date.parse(response.headers.get('anthropic-ratelimit-requests-reset'))), 'anthropic-ratelimit-requests-reset');
});

await check('anthropic: thinking enabled: a signed thinking block first, counted in output_tokens', async () => {
  const m = await an().messages.create(msg('sdk-reasoner', { thinking: { type: 'enabled', budget_tokens: 1024 } }));
  checkMessage(m, 'message');
  eq(m.content[0].type, 'thinking', 'first block');
  assert(typeof m.content[0].signature === 'string' && m.content[0].signature, 'signature');
  eq(m.content.at(-1).type, 'text', 'last block');
  const thinking = m.usage.output_tokens_details.thinking_tokens;
  assert(thinking > 0 && thinking <= 1024, `thinking_tokens ${thinking} within budget_tokens`);
  assert(thinking <= m.usage.output_tokens, 'thinking_tokens <= output_tokens');
  plausibleTokens(m.usage.output_tokens - thinking, textOf(m), 'output_tokens - thinking_tokens');
});

await check('anthropic: messages.stream(...).finalMessage(), its events in order', async () => {
  const events = [];
  const s = an().messages.stream(msg('sdk-reasoner', { thinking: { type: 'enabled', budget_tokens: 1024 } }));
  s.on('streamEvent', (ev) => events.push(ev));
  const m = await s.finalMessage();
  checkMessage(m, 'final message');
  eq(events[0].type, 'message_start', 'first event');
  eq(events.at(-1).type, 'message_stop', 'last event');
  eq(events.at(-2).type, 'message_delta', 'message_delta before message_stop');
  eq(m.content[0].type, 'thinking', 'thinking block first');
  const deltas = events.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'text_delta');
  eq(textOf(m), deltas.map((e) => e.delta.text).join(''), 'text is the text deltas joined');
  eq(m.usage.output_tokens, events.at(-2).usage.output_tokens, 'output_tokens is message_delta\'s');
});

await check('anthropic: models list (paged) and retrieve', async () => {
  const ids = [];
  for await (const m of an().models.list({ limit: 2 })) {
    eq(m.type, 'model', 'type');
    assert(typeof m.display_name === 'string' && !isNaN(Date.parse(m.created_at)), 'display_name, created_at');
    ids.push(m.id);
  }
  assert(ids.includes('sdk-plain') && ids.length === new Set(ids).size && ids.length > 2, `list: ${ids}`);
  eq((await an().models.retrieve('sdk-reasoner')).id, 'sdk-reasoner', 'retrieve');
  const e = await rejects(an().models.retrieve('no-such-model'), Anthropic.NotFoundError, 'retrieve unknown');
  eq(e.type, 'not_found_error', 'type');
});

await check('anthropic: count_tokens is the input the message reports', async () => {
  const system = 'You are a careful Python programmer.';
  const n = await an().messages.countTokens({ model: 'sdk-plain', messages: prompt, system });
  assert(Number.isInteger(n.input_tokens) && n.input_tokens > 0, `input_tokens ${n.input_tokens}`);
  const m = await an().messages.create(msg('sdk-plain', { system }));
  const input = m.usage.input_tokens + m.usage.cache_creation_input_tokens + m.usage.cache_read_input_tokens;
  // count_tokens is documented as an estimate: within 2%
  assert(Math.abs(n.input_tokens - input) <= Math.max(1, 0.02 * input), `count ${n.input_tokens}, message ${input}`);
});

await check('anthropic: errors as the SDK types them, with type, status and request id', async () => {
  let e = await rejects(an().messages.create(msg('sdk-429')), Anthropic.RateLimitError, '429');
  eq(e.status, 429, '429 status');
  eq(e.type, 'rate_limit_error', '429 type');
  eq(e.headers.get('retry-after'), '1', 'retry-after');
  assert(/^req_/.test(e.requestID), `requestID ${e.requestID}`);
  eq(e.error.request_id, e.requestID, 'request_id in the body is the header\'s');
  e = await rejects(an().messages.create(msg('sdk-503')), Anthropic.OverloadedError, 'overloaded');
  eq(e.status, 529, 'overloaded status');
  eq(e.type, 'overloaded_error', 'overloaded type');
  e = await rejects(an().messages.create(msg('sdk-500')), Anthropic.InternalServerError, '500');
  eq(e.type, 'api_error', '500 type');
  e = await rejects(an({ apiKey: 'sk-ant-echo-77' }).messages.create(msg('sdk-auth')), Anthropic.AuthenticationError, 'auth x-api-key');
  eq(e.type, 'authentication_error', 'auth type');
  assert(e.message.includes('sk-ant-echo-77'), 'the fault echoes x-api-key');
  e = await rejects(new Anthropic({ baseURL: base, apiKey: null, authToken: 'tok-echo-78', maxRetries: 0 })
    .messages.create(msg('sdk-auth')), Anthropic.AuthenticationError, 'auth Bearer');
  assert(e.message.includes('tok-echo-78'), 'the fault echoes Authorization: Bearer');
  e = await rejects(an().messages.create(msg('no-such-model')), Anthropic.NotFoundError, 'unknown model');
  eq(e.type, 'not_found_error', 'unknown model type');
  const { max_tokens, ...noMax } = msg('sdk-plain');
  await rejects(an().messages.create(noMax), Anthropic.BadRequestError, 'no max_tokens');
  e = await rejects(an().messages.stream(msg('sdk-streamerr')).finalMessage(), Anthropic.APIError, 'error in a 200 stream');
  eq(e.type, 'overloaded_error', 'stream error type');
  await rejects(an().messages.create(msg('sdk-reset')), Anthropic.APIConnectionError, 'reset');
  await rejects(an({ timeout: 300 }).messages.create(msg('sdk-stall')), Anthropic.APIConnectionTimeoutError, 'stall');
  await rejects(an().messages.create(msg('sdk-malformed')), SyntaxError, 'a 200 that is not JSON');
  await rejects(an().messages.stream(msg('sdk-truncate')).finalMessage(), Anthropic.AnthropicError, 'truncated stream');
});

await check('anthropic: the SDK\'s own retry honours retry-after', async () => {
  const t0 = Date.now();
  const m = await an({ maxRetries: 2 }).messages.create(msg('sdk-429'));
  const ms = Date.now() - t0;
  checkMessage(m, 'message after the retry');
  assert(ms >= 950, `answered after ${ms} ms: retry-after: 1 not honoured`);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
