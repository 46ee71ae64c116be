/* cmd_show.c — `alibi show [INCIDENT]`: the incident as a Said | Did
 * report: each turn of the transcript on the left, the operations its tool
 * calls produced on the right, then what no tool call explains, then the
 * findings.  Lines that are evidence of a finding are marked with '!'. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "alibi/alloc.h"
#include "alibi/cli.h"
#include "alibi/strbuf.h"
#include "alibi/termtext.h"
#include "alibi/textwrap.h"
#include "alibi/timeparse.h"
#include "show_model.h"

static const char show_usage[] =
	"usage: alibi show [INCIDENT] [--width N]\n"
	"\n"
	"Prints the incident as a report: SAID (the transcript, turn by turn) beside\n"
	"DID (the operations each tool call produced), then operations no tool call\n"
	"explains, then the findings.  '!' marks evidence of a finding; '&' before\n"
	"an operation marks one made after its tool call had returned (a process\n"
	"the call left running, such as `nohup ... &`).\n"
	"\n"
	"  --width N   lay the report out for N columns (default: the terminal's,\n"
	"              or $COLUMNS, or 100)\n";

#define MIN_WIDTH 60
#define TWO_COLUMNS_FROM 90
#define MESSAGE_MAX_LINES 14
#define RESULT_MAX_LINES 4

static size_t
report_width(const char *arg)
{
	long w = 0;
	struct winsize ws;
	if (arg)
		w = strtol(arg, NULL, 10);
	else if (getenv("COLUMNS"))
		w = strtol(getenv("COLUMNS"), NULL, 10);
	else if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		w = ws.ws_col;
	if (w <= 0)
		w = 100;
	return w < MIN_WIDTH ? MIN_WIDTH : (size_t)w;
}

static void
print_cell(const char *s, size_t width)
{
	fputs(s, stdout);
	for (size_t w = termtext_width(s, strlen(s), 0); w < width; w++)
		putchar(' ');
}

/* Prints left and right side by side, or one after the other when the
 * report is too narrow for two columns. */
static void
print_block(const struct wrapped_lines *left, const struct wrapped_lines *right,
            size_t width)
{
	if (width < TWO_COLUMNS_FROM) {
		for (size_t i = 0; i < left->count; i++)
			printf("%s\n", left->lines[i]);
		for (size_t i = 0; i < right->count; i++)
			printf("      did: %s\n", right->lines[i]);
		return;
	}
	size_t half = (width - 3) / 2;
	size_t rows = left->count > right->count ? left->count : right->count;
	for (size_t i = 0; i < rows; i++) {
		print_cell(i < left->count ? left->lines[i] : "", half);
		fputs(" | ", stdout);
		if (i < right->count)
			fputs(right->lines[i], stdout);
		putchar('\n');
	}
}

static size_t
column_width(size_t width)
{
	return width < TWO_COLUMNS_FROM ? width - 11 : (width - 3) / 2;
}

static void
add_op_lines(struct wrapped_lines *right, const struct show_model *m,
             const struct show_op_list *ops, size_t width)
{
	for (size_t i = 0; i < ops->count; i++)
		wrap_add_line(right, ops->items[i].text, width);
	if (ops->hidden) {
		char more[96];
		snprintf(more, sizeof more, "  (+%lld reads, library loads and failed lookups)",
		         (long long)ops->hidden);
		wrap_add_line(right, more, width);
	}
	(void)m;
}

/* A tool's output, indented under its command. */
static void
add_result_lines(struct wrapped_lines *left, const struct show_call *call, size_t col)
{
	static const char indent[] = "       ";
	struct wrapped_lines res = { 0 };
	wrap_text(&res, call->result, col - (sizeof indent - 1), RESULT_MAX_LINES);
	for (size_t i = 0; i < res.count; i++) {
		struct strbuf line = STRBUF_INIT;
		sb_addf(&line, "%s%s", i ? indent : (call->is_error ? "   err " : "    -> "),
		        res.lines[i]);
		wrap_add_line(left, sb_str(&line), col);
		sb_free(&line);
	}
	wrapped_lines_free(&res);
}

static void
print_turn(const struct show_model *m, const struct show_message *msg, size_t width)
{
	size_t col = column_width(width);
	struct wrapped_lines left = { 0 }, right = { 0 };
	struct strbuf head = STRBUF_INIT;
	sb_addf(&head, "%s[%s] ", msg->evidence ? "!" : " ", msg->role);
	sb_adds(&head, msg->text);
	wrap_text(&left, sb_str(&head), col, MESSAGE_MAX_LINES);
	sb_free(&head);
	for (size_t c = 0; c < msg->call_count; c++) {
		const struct show_call *call = &m->calls[msg->first_call + c];
		struct strbuf line = STRBUF_INIT;
		sb_addf(&line, "  $ %s", call->command ? call->command : call->name);
		if (!call->command && call->args)
			sb_addf(&line, " %s", call->args);
		/* Keep Said and Did of one call level with each other. */
		while (right.count < left.count)
			wrap_add_line(&right, "", col);
		while (left.count < right.count)
			wrap_add_line(&left, "", col);
		wrap_text(&left, sb_str(&line), col, 6);
		sb_free(&line);
		if (call->result && *call->result)
			add_result_lines(&left, call, col);
		add_op_lines(&right, m, &call->ops, col);
	}
	print_block(&left, &right, width);
	wrapped_lines_free(&left);
	wrapped_lines_free(&right);
}

static void
print_header(const struct show_model *m, size_t width)
{
	fputs("INCIDENT  ", stdout);
	cli_print_safe(m->slug);
	if (m->title && strcmp(m->title, m->slug) != 0) {
		fputs(" - ", stdout);
		cli_print_safe(m->title);
	}
	putchar('\n');
	for (size_t i = 0; i < m->source_count; i++) {
		fputs(i ? "          " : "SOURCES   ", stdout);
		cli_print_safe(m->sources[i]);
		putchar('\n');
	}
	if (m->clock_note && *m->clock_note) {
		fputs("CLOCK     ", stdout);
		cli_print_safe(m->clock_note);
		putchar('\n');
	}
	putchar('\n');
	if (width >= TWO_COLUMNS_FROM) {
		size_t half = (width - 3) / 2;
		print_cell("SAID", half);
		fputs(" | DID\n", stdout);
		for (size_t i = 0; i < half; i++)
			putchar('-');
		fputs("-+-", stdout);
		for (size_t i = 0; i < half; i++)
			putchar('-');
		putchar('\n');
	}
}

static void
print_unattributed(const struct show_model *m, size_t width)
{
	if (m->unattributed.count == 0 && m->unattributed.hidden == 0)
		return;
	printf("\nDID, NOT EXPLAINED BY ANY TOOL CALL\n");
	struct wrapped_lines lines = { 0 };
	add_op_lines(&lines, m, &m->unattributed, width - 2);
	for (size_t i = 0; i < lines.count; i++)
		printf("  %s\n", lines.lines[i]);
	wrapped_lines_free(&lines);
}

static void
print_findings(const struct show_model *m, size_t width)
{
	printf("\nFINDINGS (%zu)\n", m->finding_count);
	if (m->finding_count == 0)
		puts("  none");
	for (size_t i = 0; i < m->finding_count; i++) {
		const struct show_finding *f = &m->findings[i];
		struct wrapped_lines lines = { 0 };
		struct strbuf head = STRBUF_INIT;
		sb_addf(&head, "%-6s %s %.12s: %s", f->severity, f->kind, f->key, f->summary);
		wrap_text(&lines, sb_str(&head), width - 2, 0);
		sb_reset(&head);
		sb_addf(&head, "   because: %s", f->because);
		wrap_text(&lines, sb_str(&head), width - 2, 0);
		for (size_t e = 0; e < f->evidence_count; e++)
			wrap_text(&lines, f->evidence[e], width - 2, 3);
		sb_free(&head);
		for (size_t l = 0; l < lines.count; l++)
			printf("  %s\n", lines.lines[l]);
		wrapped_lines_free(&lines);
	}
}

int
cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "width", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *width_arg = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hw:", longopts, NULL)) != -1) {
		switch (c) {
		case 'w': width_arg = optarg; break;
		case 'h': fputs(show_usage, stdout); return EXIT_OK;
		default: fputs(show_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fputs(show_usage, stderr);
		return EXIT_USAGE;
	}
	struct alibi_error err = { 0 };
	struct store *st = NULL;
	if (cli_open_store(cli, STORE_READONLY, &st, &err))
		return cli_fail(&err);
	int64_t incident = 0;
	struct show_model m;
	memset(&m, 0, sizeof m);
	int rc = cli_resolve_incident(st, optind < argc ? argv[optind] : NULL, &incident, &err);
	if (!rc)
		rc = show_model_load(st, incident, &m, &err);
	store_close(st);
	if (rc) {
		show_model_free(&m);
		return cli_fail(&err);
	}
	size_t width = report_width(width_arg);
	print_header(&m, width);
	for (size_t i = 0; i < m.message_count; i++)
		print_turn(&m, &m.messages[i], width);
	print_unattributed(&m, width);
	print_findings(&m, width);
	show_model_free(&m);
	return EXIT_OK;
}
