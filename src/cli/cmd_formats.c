/* cmd_formats.c — `alibi formats`: what alibi reads and how it tells;
 * `alibi formats --check FILE`: a file checked against the alibi JSONL
 * action schema, with the very parser the import uses. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "alibi/cli.h"
#include "alibi/ingest.h"

static const char formats_usage[] =
	"usage: alibi formats\n"
	"       alibi formats --check FILE\n"
	"\n"
	"Lists every format alibi reads: the name --format takes, whether it is a\n"
	"transcript (what the agent said) or an action log (what it did), and what\n"
	"detection looks at.  Detection reads content, never file names.\n"
	"\n"
	"  --check FILE   check FILE against the alibi JSONL action schema and report\n"
	"                 every bad line as FILE:LINE: PROBLEM (see alibi-formats(5))\n";

struct check {
	const char *path;
	long long good, bad;
};

static int64_t
check_op(void *ctx, const struct alibi_op *op)
{
	(void)ctx;
	(void)op;
	return 1;
}

static void
check_bad(void *ctx, int64_t line, const char *problem)
{
	struct check *c = ctx;
	c->bad++;
	if (line > 0)
		cli_error("%s:%lld: %s", c->path, (long long)line, problem);
	else
		cli_error("%s: %s", c->path, problem);
}

static void
check_record(void *ctx)
{
	((struct check *)ctx)->good++;
}

static int
check_file(const char *path)
{
	struct check c = { path, 0, 0 };
	struct ingest_sink sink = { .ctx = &c, .op = check_op, .bad_record = check_bad,
	                            .record = check_record };
	struct ingest_input in = { .path = path };
	struct alibi_error err = { 0 };
	in.fp = fopen(path, "rb");
	if (!in.fp) {
		cli_error("%s: %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	int rc = alibi_jsonl_parse(&in, &sink, &err);
	fclose(in.fp);
	if (rc)
		return cli_fail(&err);
	if (c.bad) {
		printf("%s: %lld bad line%s, %lld good\n", path, c.bad, c.bad == 1 ? "" : "s", c.good);
		return EXIT_PARTIAL;
	}
	printf("%s: ok, %lld operation%s\n", path, c.good, c.good == 1 ? "" : "s");
	return EXIT_OK;
}

int
cmd_formats(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	static const struct option longopts[] = {
		{ "check", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *check = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hc:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': check = optarg; break;
		case 'h': fputs(formats_usage, stdout); return EXIT_OK;
		default: fputs(formats_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fputs(formats_usage, stderr);
		return EXIT_USAGE;
	}
	if (check)
		return check_file(check);
	printf("%-15s %-11s %s\n", "FORMAT", "KIND", "DESCRIPTION");
	for (const struct ingest_format *f = ingest_formats(); f->name; f++) {
		printf("%-15s %-11s %s\n", f->name,
		       f->kind == INGEST_TRANSCRIPT ? "transcript" : "actions", f->description);
		printf("%-15s %-11s detects: %s\n", "", "", f->detects_on);
	}
	return EXIT_OK;
}
