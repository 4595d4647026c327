/* tests.h - the table of unit tests; each test_NAME lives in a test_*.c file. */
#ifndef TB_TESTS_H
#define TB_TESTS_H

#define TESTS(X) \
	X(sha256_vectors) X(strmap_grows) X(buf_printf) X(rng_repeats) X(xalloc_overflow) \
	X(suite_native) X(suite_humaneval) X(suite_mbpp) X(suite_bad_lines) \
	X(extract_table) X(program_python_modes) X(program_c_main_return) X(program_cpp_header) \
	X(stats_reference) X(stats_quantile) \
	X(proto_openai_usage) X(proto_openai_openrouter_cost) X(proto_openai_deepseek) \
	X(proto_openai_errors) X(proto_openai_stream) X(proto_anthropic) X(price_cost) X(selfhost_cost) X(selfhost_write_price) X(provider_file) X(provider_bad_file) \
	X(store_roundtrip) X(store_torn_line) X(summary_task_level) X(summary_reasons_and_costs) \
	X(summary_edge_cases) X(summary_k10_pass_at_k) X(summary_clusters) \
	X(logparse_all) X(edit_formats) X(edit_refuses) X(udiff_apply) X(env_and_swebench) X(ratelimit_headers) X(ratelimit_pacing) \
	X(frontier_dominance) X(cache_roundtrip) X(cache_index_compact) X(sim_mutate_changes) X(sim_answer_deterministic) \
	X(seccomp_filter_table) X(seccomp_filter_kernel) X(calibrate_rule) X(calibrate_cache_path) \
	X(scorer_fit_jobs) X(verdict_limit_reasons) \
	X(env_expand_deselect) X(suite_select) X(logparse_swebench) X(swebench_report_fields) X(udiff_git_header_only) \
	X(env_harness_edits) \
	X(agent_command) X(agent_observation) X(agent_limits) X(buf_utf8) X(proto_anthropic_cache_control) \
	X(proto_openai_dialects) X(proto_stream_errors) X(proto_anthropic_thinking) X(sim_wire_tokens) \
	X(scorer_token_fails_closed) X(scorer_fds_full_width) \
	X(shard_split) X(shard_budget) X(plan_stream) X(plan_identity) X(merge_checks) X(merge_shared_cache) X(stats_order_free) X(suite_keep) \
	X(sched_pollset_many) X(sched_verdict_record) \
	X(html_escape) X(html_numbers) X(html_scrub) X(html_page) \
	X(anytime_reference) X(anytime_shape) X(anytime_summary) X(sim_pass_rate_exact) \
	X(stop_parse) X(stop_race) X(stop_decided) X(stop_run_records) \
	X(breaker_classify) X(breaker_states) X(breaker_gives_up) X(breaker_error_codes) \
	X(env_build_fields) X(buildcache_life) X(buildcache_commands) X(logparse_param_ids) X(logparse_django) \
	X(secret_scrub) X(hostile_usage) X(hostile_cost) X(provider_numbers) X(hostile_files) X(hostile_names) \
	X(fmt_money_ends) X(verdict_step_end) X(verdict_run_end) X(catalog_entries) X(catalog_ids)

#define DECLARE(name) void test_##name(void);
TESTS(DECLARE)

#endif
