/* selfhost.h - what a token costs when you serve it yourself: the cost of
 * an hour of serving (rent, or the server's price spread over its life,
 * plus power and overheads), each input with its source, turned into USD
 * per million input and output tokens from a load test's throughput; and
 * that price written into a provider file, so `run`, `reprice` and the
 * frontier use it like an API's. */
#ifndef TB_SELFHOST_H
#define TB_SELFHOST_H

#include <cjson/cJSON.h>

#include "core/price.h"

struct selfhost_input {
	double value;
	int set;
	char source[160]; /* where the figure comes from */
};

enum selfhost_field {
	SH_GPU_HOUR_USD, SH_GPUS, SH_CAPEX_USD, SH_LIFE_YEARS, SH_UTILISATION, SH_POWER_W, SH_PUE, SH_KWH_USD,
	SH_HOSTING_MONTH_USD, SH_STAFF_MONTH_USD, SH_NFIELDS
};

struct selfhost {
	struct selfhost_input in[SH_NFIELDS];
};

/* the field's name as the provider file and the command line write it */
const char *selfhost_field_name(enum selfhost_field f);
/* the field called name, or -1 */
int selfhost_field_of(const char *name);
void selfhost_init(struct selfhost *sh);
/* a provider's "selfhost" object: each field a number, or {"value": N,
 * "source": "..."}; 0, or -1 reported with `where` and the field */
int selfhost_load(struct selfhost *sh, const cJSON *obj, const char *where);
/* one field, as `--selfhost name=value` sets it; 0, or -1 (reported) */
int selfhost_set(struct selfhost *sh, const char *assignment, const char *source);
/* the USD an hour of serving costs: (rent, gpu_hour_usd x gpus, or
 * ownership, capex_usd / (life_years x 8760 h), plus overheads,
 * (hosting_month_usd + staff_month_usd) / 730 h) / utilisation, plus
 * power, power_w / 1000 x pue x kwh_usd. 0, or -1 (reported) when neither
 * rent nor ownership is complete */
int selfhost_hour_usd(const struct selfhost *sh, double *usd);
/* USD per million input and output tokens at a measured throughput: the
 * serving second is split between prefill and decode by prefill_share (of
 * the time, 0..1); the input tokens bear the prefill part, the output
 * tokens the rest. NAN where a throughput is 0 */
void selfhost_mtok(double hour_usd, double in_tok_s, double out_tok_s, double prefill_share, double *in_usd,
		   double *out_usd);
/* the inputs with their sources, as JSON; caller deletes */
cJSON *selfhost_json(const struct selfhost *sh);
/* sets provider `name`'s "price" in the provider file at path to p (input,
 * output, cached_input = input, cache_write = input, as_of, source),
 * leaving every other member of the file as it was; 0 or -1 (reported) */
int selfhost_write_price(const char *path, const char *name, const struct price *p);

#endif
