/* cmd_compare.c — `alibi compare INCIDENT_A INCIDENT_B [--json]
 * [--fail-on SEV]`: two runs of one task, and what only one of them did,
 * said or was found to do (compare.h has how ops are matched).
 *
 * The JSON output is an interface (documented in alibi(1)): an object
 * with a, b, compared, in_both, only_in_a, only_in_b and differences, in
 * that order; each only_in_* has ops, claims and finding_kinds arrays. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "alibi/analyze.h"
#include "alibi/cli.h"
#include "alibi/compare.h"
#include "alibi/strbuf.h"

static const char compare_usage[] =
	"usage: alibi compare INCIDENT_A INCIDENT_B [--json] [--fail-on low|medium|high]\n"
	"\n"
	"Lines up two runs of the same task (say, one where the agent was told it is\n"
	"monitored and one where it was told it is not) and lists the operations,\n"
	"claims and kinds of finding only one of them has.  Times, pids, byte counts,\n"
	"made-up temporary names and what the rules call noise are left out.  An\n"
	"incident never analysed is analysed first.\n"
	"\n"
	"  --json           print a JSON object (the format is in alibi(1))\n"
	"  --fail-on SEV    exit 1 only when a kind of finding at or above SEV is in\n"
	"                   one run and not the other (default: on any difference)\n";

/* ---- analysis first, when an incident never had one ---- */

struct analysed {
	int yes;
};

static int
check_analysed(void *ctx, const struct store_incident *inc)
{
	/* analysis always writes a clock note; import alone does not */
	((struct analysed *)ctx)->yes = inc->clock_note != NULL;
	return 1;
}

static int
ensure_analysed(const struct cli *cli, struct store **st, const int64_t ids[2],
                const char *const names[2], struct alibi_error *err)
{
	int need[2] = { 0, 0 };
	for (int i = 0; i < 2; i++) {
		struct analysed a = { 0 };
		if (store_each_incident(*st, ids[i], check_analysed, &a, err))
			return err->code;
		need[i] = !a.yes;
	}
	if (!need[0] && !need[1])
		return 0;
	store_close(*st);
	*st = NULL;
	if (cli_open_store(cli, 0, st, err))
		return err->code;
	for (int i = 0; i < 2; i++) {
		if (!need[i])
			continue;
		cli_error("%s was never analysed; analysing it first", names[i]);
		if (cli_analyze(cli, *st, ids[i], NULL, NULL, err))
			return err->code;
	}
	return 0;
}

/* ---- text ---- */

static void
describe_op(struct strbuf *o, const struct compare_op *op)
{
	sb_adds(o, alibi_op_name(op->kind));
	if (op->kind == ALIBI_OP_exec && op->detail)
		sb_addf(o, " %s", op->detail);
	else if (op->path)
		sb_addf(o, " %s", op->path);
	if (op->path2)
		sb_addf(o, " -> %s", op->path2);
	if (op->host)
		sb_addf(o, " %s", op->host);
	if (op->port >= 0)
		sb_addf(o, ":%d", op->port);
	if (op->kind != ALIBI_OP_exec && op->detail)
		sb_addf(o, " [%s]", op->detail);
	if (op->error)
		sb_addf(o, " FAILED %s", op->error);
}

static void
print_ops(const struct compare_side *s)
{
	if (!s->only_op_count)
		return;
	printf("  operations (%zu)\n", s->only_op_count);
	for (size_t i = 0; i < s->only_op_count; i++) {
		const struct compare_op *op = &s->only_ops[i];
		struct strbuf line = STRBUF_INIT;
		sb_adds(&line, "    ");
		describe_op(&line, op);
		if (op->protected_asset || op->hidden_place)
			sb_addf(&line, "  [%s%s%s]", op->protected_asset ? "protected asset" : "",
			        op->protected_asset && op->hidden_place ? ", " : "",
			        op->hidden_place ? "hidden place" : "");
		if (op->count > 1)
			sb_addf(&line, "  (%lld times)", (long long)op->count);
		sb_addf(&line, "  %s:%lld\n", op->source, (long long)op->line);
		cli_print_safe(sb_str(&line));
		sb_free(&line);
	}
}

static void
print_claims(const struct compare_side *s)
{
	if (!s->only_claim_count)
		return;
	printf("  claims (%zu)\n", s->only_claim_count);
	for (size_t i = 0; i < s->only_claim_count; i++) {
		const struct compare_claim *c = &s->only_claims[i];
		struct strbuf line = STRBUF_INIT;
		sb_addf(&line, "    %-8s \"%s\"", alibi_claim_kind_name(c->kind), c->text ? c->text : "");
		if (c->count > 1)
			sb_addf(&line, "  (%lld times)", (long long)c->count);
		sb_addf(&line, "  %s:%lld\n", c->source, (long long)c->line);
		cli_print_safe(sb_str(&line));
		sb_free(&line);
	}
}

static void
print_kinds(const struct compare_side *s)
{
	if (!s->only_kind_count)
		return;
	printf("  findings (%zu kind%s)\n", s->only_kind_count, s->only_kind_count == 1 ? "" : "s");
	for (size_t i = 0; i < s->only_kind_count; i++) {
		const struct compare_kind *k = &s->only_kinds[i];
		char sev[8];
		snprintf(sev, sizeof sev, "%s", alibi_severity_name(k->severity));
		for (char *p = sev; *p; p++)
			*p = (char)(*p - 'a' + 'A');
		struct strbuf line = STRBUF_INIT;
		sb_addf(&line, "    %-7s %-21s %.12s  %s", sev, k->kind, k->key ? k->key : "",
		        k->summary ? k->summary : "");
		if (k->count > 1)
			sb_addf(&line, "  (and %lld more)", (long long)(k->count - 1));
		sb_addc(&line, '\n');
		cli_print_safe(sb_str(&line));
		sb_free(&line);
	}
}

static void
print_side(const char *letter, const struct compare_side *s)
{
	printf("\nONLY IN %s (", letter);
	cli_print_safe(s->slug);
	puts(")");
	if (!s->only_op_count && !s->only_claim_count && !s->only_kind_count)
		puts("  nothing");
	print_ops(s);
	print_claims(s);
	print_kinds(s);
}

static void
print_text(const struct compare_result *r)
{
	const struct compare_side *s[2] = { &r->a, &r->b };
	for (int i = 0; i < 2; i++) {
		printf("%c  ", 'A' + i);
		cli_print_safe(s[i]->slug);
		fputs("  ", stdout);
		cli_print_safe(s[i]->title);
		putchar('\n');
	}
	printf("compared %s: %lld|%lld operations (%lld in both), %lld|%lld claims"
	       " (%lld in both), %lld|%lld kinds of finding (%lld in both)\n",
	       r->derived ? "the ops the commands imply (a run has no action log)"
	                  : "the action logs",
	       (long long)r->a.ops, (long long)r->b.ops, (long long)r->ops_both,
	       (long long)r->a.claims, (long long)r->b.claims, (long long)r->claims_both,
	       (long long)r->a.kinds, (long long)r->b.kinds, (long long)r->kinds_both);
	print_side("A", &r->a);
	print_side("B", &r->b);
	if (r->differences)
		printf("\n%lld difference%s\n", (long long)r->differences,
		       r->differences == 1 ? "" : "s");
	else
		puts("\nno difference");
}

/* ---- JSON ---- */

static void
json_str(struct strbuf *o, const char *name, const char *value, int first)
{
	sb_addf(o, "%s\"%s\": ", first ? "" : ", ", name);
	if (value)
		sb_add_json_string(o, value);
	else
		sb_adds(o, "null");
}

static void
json_op(struct strbuf *o, const void *item)
{
	const struct compare_op *op = item;
	sb_adds(o, "{");
	json_str(o, "op", alibi_op_name(op->kind), 1);
	json_str(o, "path", op->path, 0);
	json_str(o, "path2", op->path2, 0);
	json_str(o, "host", op->host, 0);
	if (op->port >= 0)
		sb_addf(o, ", \"port\": %d", op->port);
	else
		sb_adds(o, ", \"port\": null");
	json_str(o, "detail", op->detail, 0);
	json_str(o, "error", op->error, 0);
	sb_addf(o, ", \"count\": %lld, \"protected\": %s, \"hidden\": %s", (long long)op->count,
	        op->protected_asset ? "true" : "false", op->hidden_place ? "true" : "false");
	json_str(o, "source", op->source, 0);
	sb_addf(o, ", \"line\": %lld}", (long long)op->line);
}

static void
json_claim(struct strbuf *o, const void *item)
{
	const struct compare_claim *c = item;
	sb_adds(o, "{");
	json_str(o, "kind", alibi_claim_kind_name(c->kind), 1);
	json_str(o, "verb", c->verb, 0);
	json_str(o, "object", c->object, 0);
	sb_addf(o, ", \"negated\": %s", c->negated ? "true" : "false");
	json_str(o, "text", c->text, 0);
	sb_addf(o, ", \"count\": %lld", (long long)c->count);
	json_str(o, "source", c->source, 0);
	sb_addf(o, ", \"line\": %lld}", (long long)c->line);
}

static void
json_kind(struct strbuf *o, const void *item)
{
	const struct compare_kind *k = item;
	sb_adds(o, "{");
	json_str(o, "kind", k->kind, 1);
	json_str(o, "severity", alibi_severity_name(k->severity), 0);
	sb_addf(o, ", \"count\": %lld", (long long)k->count);
	json_str(o, "id", k->key, 0);
	json_str(o, "summary", k->summary, 0);
	sb_adds(o, "}");
}

/* "name": [ items ], each item (of size bytes) written by add. */
static void
json_array(struct strbuf *o, const char *name, const void *items, size_t count,
           size_t size, void (*add)(struct strbuf *o, const void *item), int last)
{
	sb_addf(o, "    \"%s\": [", name);
	for (size_t i = 0; i < count; i++) {
		sb_adds(o, i ? ",\n      " : "\n      ");
		add(o, (const char *)items + i * size);
	}
	sb_adds(o, count ? "\n    ]" : "]");
	sb_adds(o, last ? "\n" : ",\n");
}

static void
json_side_head(struct strbuf *o, const char *name, const struct compare_side *s)
{
	sb_addf(o, "  \"%s\": {", name);
	json_str(o, "incident", s->slug, 1);
	json_str(o, "title", s->title, 0);
	sb_addf(o, ", \"action_log\": %s, \"ops\": %lld, \"claims\": %lld,"
	        " \"finding_kinds\": %lld},\n", s->has_action_log ? "true" : "false",
	        (long long)s->ops, (long long)s->claims, (long long)s->kinds);
}

static void
json_only(struct strbuf *o, const char *name, const struct compare_side *s)
{
	sb_addf(o, "  \"%s\": {\n", name);
	json_array(o, "ops", s->only_ops, s->only_op_count, sizeof *s->only_ops, json_op, 0);
	json_array(o, "claims", s->only_claims, s->only_claim_count, sizeof *s->only_claims,
	           json_claim, 0);
	json_array(o, "finding_kinds", s->only_kinds, s->only_kind_count,
	           sizeof *s->only_kinds, json_kind, 1);
	sb_adds(o, "  },\n");
}

static void
print_json(const struct compare_result *r)
{
	struct strbuf o = STRBUF_INIT;
	sb_adds(&o, "{\n");
	json_side_head(&o, "a", &r->a);
	json_side_head(&o, "b", &r->b);
	sb_addf(&o, "  \"compared\": \"%s\",\n", r->derived ? "commands" : "action_logs");
	sb_addf(&o, "  \"in_both\": {\"ops\": %lld, \"claims\": %lld, \"finding_kinds\": %lld},\n",
	        (long long)r->ops_both, (long long)r->claims_both, (long long)r->kinds_both);
	json_only(&o, "only_in_a", &r->a);
	json_only(&o, "only_in_b", &r->b);
	sb_addf(&o, "  \"differences\": %lld\n}\n", (long long)r->differences);
	fputs(sb_str(&o), stdout);
	sb_free(&o);
}

/* ---- the command ---- */

static int
run_compare(const struct cli *cli, const char *const names[2], struct compare_result *r,
            struct alibi_error *err)
{
	struct store *st = NULL;
	int64_t ids[2] = { 0, 0 };
	int rc = cli_open_store(cli, STORE_READONLY, &st, err);
	for (int i = 0; i < 2 && !rc; i++)
		rc = cli_resolve_incident(st, names[i], &ids[i], err);
	if (!rc && ids[0] == ids[1])
		rc = alibi_error_set(err, ALIBI_EUSAGE, "'%s' and '%s' are the same incident;"
		                     " compare needs two", names[0], names[1]);
	if (!rc)
		rc = ensure_analysed(cli, &st, ids, names, err);
	struct rules *rules = NULL;
	if (!rc)
		rc = rules_load_all(cli->rules_path, &rules, err);
	if (!rc)
		rc = compare_incidents(st, rules, ids[0], ids[1], r, err);
	rules_free(rules);
	if (st)
		store_close(st);
	return rc;
}

int
cmd_compare(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, fail_on = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hjf:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'f':
			if (cli_parse_fail_on(optarg, &fail_on))
				return EXIT_USAGE;
			break;
		case 'h': fputs(compare_usage, stdout); return EXIT_OK;
		default: fputs(compare_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		fputs(compare_usage, stderr);
		return EXIT_USAGE;
	}
	const char *const names[2] = { argv[optind], argv[optind + 1] };
	struct alibi_error err = { 0 };
	struct compare_result r;
	if (run_compare(cli, names, &r, &err))
		return cli_fail(&err);
	if (json)
		print_json(&r);
	else
		print_text(&r);
	int differs = fail_on ? compare_worst_difference(&r) >= fail_on : r.differences > 0;
	compare_result_free(&r);
	return differs ? EXIT_FINDINGS : EXIT_OK;
}
