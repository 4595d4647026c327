/* sim_serve.c - the serving model of sim_serve.h: batch slots, a queue
 * beyond them, prefill by input tokens, decode time by batch size.
 *
 * Defaults: Llama-3.1-8B-Instruct (BF16) under vLLM on one A100 40GB, from
 * the concurrency sweep at https://johnmusgrave.com/p/vllm-throughput-latency-sweep-on
 * (1024 tokens in, 128 out, --ignore-eos): about 75 output tokens/s at
 * concurrency 1 (13.3 ms a token) and 6.6 times that at concurrency 8
 * (16.2 ms a token for each of 8). Two points fix the line
 *   itl(b) = 12.9 + 0.41 b ms
 * Prefill is not in that source: 8e9 parameters x 2 FLOP a token at about
 * 200 TFLOP/s effective make 0.08 ms a token, plus 10 ms; max_batch 256 is
 * vLLM's default max_num_seqs. Simplifications, stated: a sequence keeps
 * the token time of the batch it joined (a real engine's changes as others
 * come and go; in a steady closed loop every request joins the same batch,
 * which is what a load test measures), and a prefill, one at a time,
 * does not stall the others' decoding. */
#include "sim/sim_serve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_model.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

#define DEFAULT_SOURCE "decode: Llama-3.1-8B-Instruct BF16, vLLM 0.23, 1x A100 40GB, " \
	"https://johnmusgrave.com/p/vllm-throughput-latency-sweep-on; prefill: 2 FLOP/param/token at 200 TFLOP/s"

int sim_serve_load(struct sim_serve_params *p, const cJSON *profile, const char *where)
{
	memset(p, 0, sizeof(*p));
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(profile, "serve");
	if (!o)
		return 0;
	if (!cJSON_IsObject(o))
		return error("%s: serve must be an object", where);
	p->on = 1;
	p->decode_base_ms = json_num(o, "decode_base_ms", 12.9);
	p->decode_ms_per_seq = json_num(o, "decode_ms_per_seq", 0.41);
	p->prefill_base_ms = json_num(o, "prefill_base_ms", 10);
	p->prefill_ms_per_token = json_num(o, "prefill_ms_per_token", 0.08);
	double mb = json_num(o, "max_batch", 256);
	snprintf(p->source, sizeof(p->source), "%s", json_str(o, "source", DEFAULT_SOURCE));
	if (!(p->decode_base_ms > 0) || !(p->decode_ms_per_seq >= 0) || !(p->prefill_base_ms >= 0) ||
	    !(p->prefill_ms_per_token >= 0))
		return error("%s: serve: decode_base_ms must be > 0, the other times >= 0", where);
	if (!(mb >= 1 && mb <= 65536) || mb != floor(mb))
		return error("%s: serve: max_batch must be a whole number in 1..65536", where);
	p->max_batch = (int)mb;
	return 0;
}

void sim_serve_state_release(struct sim_serve_state *st)
{
	if (!st)
		return;
	free(st->busy_until);
	st->busy_until = NULL;
	st->n = 0;
}

void sim_serve_admit(struct sim_serve_state *st, const struct sim_serve_params *p, double now_ms,
		     long prompt_tokens, long output_tokens, double *ttft_ms, double *total_ms)
{
	if (st->n != p->max_batch) {
		free(st->busy_until);
		st->busy_until = xcalloc((size_t)p->max_batch, sizeof(*st->busy_until));
		st->n = p->max_batch;
	}
	/* the slot that frees first; a request waits for it when all are busy */
	int slot = 0;
	for (int i = 1; i < st->n; i++)
		if (st->busy_until[i] < st->busy_until[slot])
			slot = i;
	double start = fmax(now_ms, st->busy_until[slot]);
	int batch = 1;
	for (int i = 0; i < st->n; i++)
		if (i != slot && st->busy_until[i] > start)
			batch++;
	double itl = p->decode_base_ms + p->decode_ms_per_seq * batch;
	double prefill = p->prefill_base_ms + p->prefill_ms_per_token * (double)prompt_tokens;
	double prefill_end = fmax(start, st->prefill_free_ms) + prefill;
	st->prefill_free_ms = prefill_end;
	*ttft_ms = prefill_end - now_ms;
	*total_ms = *ttft_ms + itl * (double)(output_tokens > 1 ? output_tokens - 1 : 0);
	st->busy_until[slot] = now_ms + *total_ms;
}

void sim_serve_pad(struct sim_answer *a, long max_tokens)
{
	long want = max_tokens - a->reasoning_tokens;
	if (max_tokens <= 0 || a->completion_tokens >= max_tokens || want <= 0)
		return;
	static const char filler[] = " and the next step follows from the last one";
	struct buf b = BUF_INIT;
	buf_puts(&b, a->text);
	while (sim_tokens(b.len) < want)
		buf_puts(&b, filler);
	while (b.len > 0 && sim_tokens(b.len) > want)
		b.len--;
	b.data[b.len] = '\0';
	a->completion_tokens = sim_tokens(b.len) + a->reasoning_tokens;
	free(a->text);
	a->text = buf_detach(&b);
	a->finish_reason = "length";
}
