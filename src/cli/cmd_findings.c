/* cmd_findings.c — `alibi findings [INCIDENT] [--json] [--fail-on SEV]`
 *
 * The JSON output is an interface (documented in alibi(1)): an array of
 * findings, each with id (the stable key), incident, kind, severity,
 * confidence, summary, because, rule, status, verdict and evidence items
 * with type, role, text, path, path2, host, port, source, line, and for
 * claims start and end. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/cli.h"
#include "alibi/strbuf.h"

static const char findings_usage[] =
	"usage: alibi findings [INCIDENT] [--json] [--fail-on low|medium|high]\n"
	"\n"
	"Lists the findings of one incident (or of all when none is named and the\n"
	"workspace holds several), most severe first, with their evidence.\n"
	"\n"
	"  --json           print a JSON array (the format is in alibi(1))\n"
	"  --fail-on SEV    exit 1 when a finding is at or above SEV\n";

/* Width of the id shown in text output; --json prints the whole key. */
#define SHORT_KEY 12

struct findings_ctx {
	int json;
	int count;
	int worst;
	struct strbuf out;
};

static void
json_field_str(struct strbuf *o, const char *name, const char *value)
{
	sb_addf(o, ", \"%s\": ", name);
	if (value)
		sb_add_json_string(o, value);
	else
		sb_adds(o, "null");
}

static void
add_evidence_json(struct strbuf *o, const struct store_evidence_row *e)
{
	sb_adds(o, "{\"type\": ");
	sb_add_json_string(o, store_evidence_type_name(e->type));
	json_field_str(o, "role", e->role);
	json_field_str(o, "text", e->text);
	json_field_str(o, "path", e->path);
	json_field_str(o, "path2", e->path2);
	json_field_str(o, "host", e->host);
	if (e->port >= 0)
		sb_addf(o, ", \"port\": %d", e->port);
	else
		sb_adds(o, ", \"port\": null");
	json_field_str(o, "source", e->source);
	sb_addf(o, ", \"line\": %lld", (long long)e->line);
	if (e->type == STORE_EV_CLAIM)
		sb_addf(o, ", \"start\": %d, \"end\": %d", e->start, e->end);
	sb_adds(o, "}");
}

static void
add_finding_json(struct findings_ctx *fc, const struct store_finding_row *r)
{
	struct strbuf *o = &fc->out;
	sb_adds(o, fc->count ? ",\n  {\"id\": " : "\n  {\"id\": ");
	sb_add_json_string(o, r->f.stable_key);
	json_field_str(o, "incident", r->incident_slug);
	json_field_str(o, "kind", r->f.kind);
	json_field_str(o, "severity", alibi_severity_name(r->f.severity));
	sb_addf(o, ", \"confidence\": %.2f", r->f.confidence);
	json_field_str(o, "summary", r->f.summary);
	json_field_str(o, "because", r->f.because);
	json_field_str(o, "rule", r->f.rule);
	json_field_str(o, "status", r->status);
	json_field_str(o, "verdict", r->verdict);
	sb_adds(o, ",\n   \"evidence\": [");
	for (size_t i = 0; i < r->evidence_count; i++) {
		sb_adds(o, i ? ",\n     " : "\n     ");
		add_evidence_json(o, &r->evidence[i]);
	}
	sb_adds(o, r->evidence_count ? "\n   ]}" : "]}");
}

/* Evidence such as a whole instruction message is shown by its first line,
 * cut to a readable length; --json and `alibi show` have the full text. */
#define EVIDENCE_TEXT_BYTES 160

static void
print_first_line(const char *text)
{
	const char *s = text ? text : "";
	size_t n = strcspn(s, "\n");
	int cut = s[n] != '\0';
	if (n > EVIDENCE_TEXT_BYTES) {
		n = EVIDENCE_TEXT_BYTES;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;  /* do not split a UTF-8 character */
		cut = 1;
	}
	char *line = strndup(s, n);
	cli_print_safe(line);
	free(line);
	if (cut)
		fputs(" …", stdout);
}

static void
print_finding_text(const struct store_finding_row *r)
{
	char sev[8];
	snprintf(sev, sizeof sev, "%s", alibi_severity_name(r->f.severity));
	for (char *p = sev; *p; p++)
		*p = (char)(*p - 'a' + 'A');
	printf("%-7s %-20s %.*s  ", sev, r->f.kind, SHORT_KEY, r->f.stable_key);
	cli_print_safe(r->incident_slug);
	if (r->verdict) {
		fputs("  [", stdout);
		cli_print_safe(r->verdict);
		putchar(']');
	}
	fputs("\n        ", stdout);
	cli_print_safe(r->f.summary);
	fputs("\n        because: ", stdout);
	cli_print_safe(r->f.because);
	putchar('\n');
	for (size_t i = 0; i < r->evidence_count; i++) {
		const struct store_evidence_row *e = &r->evidence[i];
		printf("        %-11s ", e->role ? e->role : store_evidence_type_name(e->type));
		cli_print_safe(e->source);
		printf(":%lld  ", (long long)e->line);
		if (e->type == STORE_EV_CLAIM)
			putchar('"');
		print_first_line(e->text);
		if (e->type == STORE_EV_CLAIM)
			putchar('"');
		putchar('\n');
	}
	putchar('\n');
}

static int
on_finding(void *ctx, const struct store_finding_row *r)
{
	struct findings_ctx *fc = ctx;
	if ((int)r->f.severity > fc->worst)
		fc->worst = (int)r->f.severity;
	if (fc->json)
		add_finding_json(fc, r);
	else
		print_finding_text(r);
	fc->count++;
	return 0;
}

static int
count_incidents(void *ctx, const struct store_incident *inc)
{
	(void)inc;
	++*(int *)ctx;
	return 0;
}

int
cmd_findings(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct findings_ctx fc = { 0, 0, 0, STRBUF_INIT };
	int fail_on = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hjf:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': fc.json = 1; break;
		case 'f':
			if (cli_parse_fail_on(optarg, &fail_on))
				return EXIT_USAGE;
			break;
		case 'h': fputs(findings_usage, stdout); return EXIT_OK;
		default: fputs(findings_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fputs(findings_usage, stderr);
		return EXIT_USAGE;
	}
	struct alibi_error err = { 0 };
	struct store *st = NULL;
	if (cli_open_store(cli, STORE_READONLY, &st, &err))
		return cli_fail(&err);
	int64_t incident = 0;
	int incidents = 0;
	int rc = 0;
	if (optind < argc)
		rc = cli_resolve_incident(st, argv[optind], &incident, &err);
	else
		rc = store_each_incident(st, 0, count_incidents, &incidents, &err);
	if (!rc && optind >= argc && incidents == 0)
		rc = alibi_error_set(&err, ALIBI_ENOTFOUND,
		                     "the workspace has no incidents; import some with 'alibi import PATH'");
	if (!rc) {
		if (fc.json)
			sb_adds(&fc.out, "[");
		rc = store_each_finding(st, incident, on_finding, &fc, &err);
	}
	store_close(st);
	if (rc) {
		sb_free(&fc.out);
		return cli_fail(&err);
	}
	if (fc.json) {
		sb_adds(&fc.out, fc.count ? "\n]\n" : "]\n");
		fputs(sb_str(&fc.out), stdout);
	} else if (fc.count == 0) {
		puts("no findings");
	}
	sb_free(&fc.out);
	return fail_on && fc.worst >= fail_on ? EXIT_FINDINGS : EXIT_OK;
}
