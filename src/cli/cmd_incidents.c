/* cmd_incidents.c — `alibi incidents [--json]` */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "alibi/cli.h"
#include "alibi/strbuf.h"
#include "alibi/timeparse.h"

static const char incidents_usage[] =
	"usage: alibi incidents [--json]\n"
	"\n"
	"Lists the incidents in the workspace with their sources, messages,\n"
	"operations and findings by severity (high/medium/low).\n";

static int
print_incident_row(void *ctx, const struct store_incident *inc)
{
	(void)ctx;
	printf("%-4lld ", (long long)inc->id);
	cli_print_safe(inc->slug);
	printf("%*s %7lld %8lld %8lld   %lld/%lld/%lld  ",
	       (int)(strlen(inc->slug) < 28 ? 28 - strlen(inc->slug) : 1), "",
	       (long long)inc->sources, (long long)inc->messages, (long long)inc->ops,
	       (long long)inc->by_severity[ALIBI_SEV_HIGH],
	       (long long)inc->by_severity[ALIBI_SEV_MEDIUM],
	       (long long)inc->by_severity[ALIBI_SEV_LOW]);
	cli_print_safe(inc->title);
	putchar('\n');
	return 0;
}

struct json_list {
	struct strbuf out;
	int count;
};

static int
add_incident_json(void *ctx, const struct store_incident *inc)
{
	struct json_list *list = ctx;
	struct strbuf *o = &list->out;
	char created[40];
	time_format_iso(created, sizeof created, inc->created_at);
	sb_adds(o, list->count++ ? ",\n  {" : "\n  {");
	sb_addf(o, "\"id\": %lld, \"slug\": ", (long long)inc->id);
	sb_add_json_string(o, inc->slug);
	sb_adds(o, ", \"title\": ");
	sb_add_json_string(o, inc->title);
	sb_addf(o, ", \"created_at\": \"%s\", \"sources\": %lld, \"messages\": %lld,"
	        " \"tool_calls\": %lld, \"ops\": %lld, \"findings\": %lld,"
	        " \"high\": %lld, \"medium\": %lld, \"low\": %lld, \"clock_offset_us\": %lld}",
	        created, (long long)inc->sources, (long long)inc->messages,
	        (long long)inc->tool_calls, (long long)inc->ops, (long long)inc->findings,
	        (long long)inc->by_severity[ALIBI_SEV_HIGH],
	        (long long)inc->by_severity[ALIBI_SEV_MEDIUM],
	        (long long)inc->by_severity[ALIBI_SEV_LOW], (long long)inc->clock_offset_us);
	return 0;
}

int
cmd_incidents(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hj", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': fputs(incidents_usage, stdout); return EXIT_OK;
		default: fputs(incidents_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fputs(incidents_usage, stderr);
		return EXIT_USAGE;
	}
	struct alibi_error err = { 0 };
	struct store *st = NULL;
	if (cli_open_store(cli, STORE_READONLY, &st, &err))
		return cli_fail(&err);
	int rc;
	if (json) {
		struct json_list list = { STRBUF_INIT, 0 };
		sb_adds(&list.out, "[");
		rc = store_each_incident(st, 0, add_incident_json, &list, &err);
		sb_adds(&list.out, list.count ? "\n]\n" : "]\n");
		if (!rc)
			fputs(sb_str(&list.out), stdout);
		sb_free(&list.out);
	} else {
		printf("%-4s %-28s %7s %8s %8s   %-7s %s\n", "ID", "INCIDENT", "SOURCES",
		       "MESSAGES", "OPS", "H/M/L", "TITLE");
		rc = store_each_incident(st, 0, print_incident_row, NULL, &err);
	}
	store_close(st);
	return rc ? cli_fail(&err) : EXIT_OK;
}
