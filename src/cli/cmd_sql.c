/* cmd_sql.c — `alibi sql [--json] QUERY`: the read-only SQL interface. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/cli.h"
#include "alibi/strbuf.h"
#include "alibi/termtext.h"

static const char sql_usage[] =
	"usage: alibi sql [--json] QUERY\n"
	"\n"
	"Runs one read-only SQL statement (SELECT or WITH) on the workspace.\n"
	"Tables: incidents, sources, messages, tool_calls, ops, claims, findings,\n"
	"evidence, annotations (see alibi(1)).  Writes are refused.\n"
	"\n"
	"  --json    print an array of objects (values are strings or null)\n";

/* Cells longer than this are cut in the table view (not in --json). */
#define MAX_CELL_COLS 60

struct table {
	int json;
	int ncol;
	char **names;
	char **cells;          /* rows * ncol, already made terminal-safe */
	size_t rows, cap;
	struct strbuf json_out;
};

static char *
safe_cell(const char *value)
{
	struct strbuf sb = STRBUF_INIT;
	if (!value) {
		sb_adds(&sb, "NULL");
	} else {
		size_t used = 0;
		termtext_escape_cols(&sb, value, strlen(value), TERMTEXT_TABS_AS_SPACE,
		                     MAX_CELL_COLS, &used);
		if (used < strlen(value))
			sb_adds(&sb, "…");
	}
	return sb_detach(&sb);
}

static int
on_row(void *ctx, int64_t row, int ncol, const char *const *names,
       const char *const *values)
{
	struct table *t = ctx;
	if (row < 0) {
		t->ncol = ncol;
		t->names = xcalloc((size_t)ncol + 1, sizeof *t->names);
		for (int c = 0; c < ncol; c++)
			t->names[c] = t->json ? xstrdup(names[c]) : safe_cell(names[c]);
		return 0;
	}
	if (t->json) {
		struct strbuf *o = &t->json_out;
		sb_adds(o, row ? ",\n  {" : "\n  {");
		for (int c = 0; c < ncol; c++) {
			if (c)
				sb_adds(o, ", ");
			sb_add_json_string(o, t->names[c]);
			sb_adds(o, ": ");
			if (values[c])
				sb_add_json_string(o, values[c]);
			else
				sb_adds(o, "null");
		}
		sb_adds(o, "}");
		t->rows++;
		return 0;
	}
	void *cells = t->cells;
	grow_array(&cells, sizeof *t->cells * (size_t)ncol, &t->cap, t->rows + 1);
	t->cells = cells;
	for (int c = 0; c < ncol; c++)
		t->cells[t->rows * (size_t)ncol + (size_t)c] = safe_cell(values[c]);
	t->rows++;
	return 0;
}

static void
print_padded(const char *s, size_t width, int last)
{
	fputs(s, stdout);
	if (last)
		return;
	for (size_t w = termtext_width(s, strlen(s), 0); w < width + 2; w++)
		putchar(' ');
}

static void
print_table(const struct table *t)
{
	size_t *width = xcalloc((size_t)t->ncol + 1, sizeof *width);
	for (int c = 0; c < t->ncol; c++) {
		width[c] = termtext_width(t->names[c], strlen(t->names[c]), 0);
		for (size_t r = 0; r < t->rows; r++) {
			const char *cell = t->cells[r * (size_t)t->ncol + (size_t)c];
			size_t w = termtext_width(cell, strlen(cell), 0);
			if (w > width[c])
				width[c] = w;
		}
	}
	for (int c = 0; c < t->ncol; c++)
		print_padded(t->names[c], width[c], c == t->ncol - 1);
	putchar('\n');
	for (size_t r = 0; r < t->rows; r++) {
		for (int c = 0; c < t->ncol; c++)
			print_padded(t->cells[r * (size_t)t->ncol + (size_t)c], width[c],
			             c == t->ncol - 1);
		putchar('\n');
	}
	printf("(%zu row%s)\n", t->rows, t->rows == 1 ? "" : "s");
	free(width);
}

static void
table_free(struct table *t)
{
	for (int c = 0; c < t->ncol; c++)
		free(t->names ? t->names[c] : NULL);
	for (size_t i = 0; i < t->rows * (size_t)t->ncol && t->cells; i++)
		free(t->cells[i]);
	free(t->names);
	free(t->cells);
	sb_free(&t->json_out);
}

int
cmd_sql(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct table t = { 0 };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hj", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': t.json = 1; break;
		case 'h': fputs(sql_usage, stdout); return EXIT_OK;
		default: fputs(sql_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fputs(sql_usage, stderr);
		return EXIT_USAGE;
	}
	struct alibi_error err = { 0 };
	struct store *st = NULL;
	if (cli_open_store(cli, STORE_READONLY, &st, &err))
		return cli_fail(&err);
	if (t.json)
		sb_adds(&t.json_out, "[");
	int rc = store_query_readonly(st, argv[optind], on_row, &t, &err);
	store_close(st);
	if (rc) {
		table_free(&t);
		return cli_fail(&err);
	}
	if (t.json) {
		sb_adds(&t.json_out, t.rows ? "\n]\n" : "]\n");
		fputs(sb_str(&t.json_out), stdout);
	} else {
		print_table(&t);
	}
	table_free(&t);
	return EXIT_OK;
}
