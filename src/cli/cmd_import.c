/* cmd_import.c — `alibi import [--incident NAME] [--format NAME] PATH...` */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "alibi/analyze.h"
#include "alibi/cli.h"
#include "alibi/import.h"
#include "alibi/ingest.h"
#include "alibi/views.h"

static const char import_usage[] =
	"usage: alibi import [--incident NAME] [--format NAME] [--clock-offset OFFSET] PATH...\n"
	"\n"
	"Imports transcripts and action logs, then analyses each incident.\n"
	"A directory is one incident, named after it; files given together form\n"
	"one incident, named after the first file unless --incident says.\n"
	"An Inspect log with several samples makes an incident per sample,\n"
	"titled TASK/sample-ID/epoch-N (NAME/sample-ID/epoch-N with --incident).\n"
	"Files a directory holds that no format reads are listed and skipped.\n"
	"A source already imported (same sha256) is not imported twice.\n"
	"\n"
	"  --incident NAME  import into the incident NAME\n"
	"  --format NAME    read every file as NAME (see 'alibi formats')\n"
	CLI_CLOCK_OFFSET_USAGE
	"\n"
	"Bad records are reported on stderr as FILE:LINE: PROBLEM and skipped;\n"
	"the exit status is then 3.\n";

static void
print_bad_record(void *ctx, const char *msg)
{
	(void)ctx;
	cli_error("%s", msg);
}

static void
print_file_done(void *ctx, const char *path, const char *incident,
                const char *format, enum import_file_status status,
                int64_t records, int64_t errors, const char *why)
{
	(void)ctx;
	cli_print_safe(incident);
	fputs(": ", stdout);
	cli_print_safe(path);
	switch (status) {
	case IMPORT_OK:
	case IMPORT_PARTIAL:
		printf(" (%s): %lld records", format, (long long)records);
		if (errors)
			printf(", %lld skipped", (long long)errors);
		break;
	case IMPORT_DUPLICATE:
		fputs(": already imported, skipped", stdout);
		break;
	case IMPORT_UNRECOGNISED:
	case IMPORT_SKIPPED:
		fputs(": not imported: ", stdout);
		cli_print_safe(why);
		break;
	case IMPORT_FAILED:
		fputs(": failed: ", stdout);
		cli_print_safe(why);
		break;
	}
	putchar('\n');
	if (status == IMPORT_FAILED || status == IMPORT_UNRECOGNISED)
		cli_error("%s: %s", path, why);
}

struct findings_count {
	int64_t by_severity[4];
	int64_t total;
	char slug[256];
};

static int
count_findings(void *ctx, const struct store_incident *inc)
{
	struct findings_count *c = ctx;
	c->total = inc->findings;
	snprintf(c->slug, sizeof c->slug, "%s", inc->slug);
	memcpy(c->by_severity, inc->by_severity, sizeof c->by_severity);
	return 1;
}

/* What an import holds grows with its input in a few large arrays (the
 * analysis's messages and ops, the claim scans' queue).  glibc maps a
 * block of its own only above a threshold that it raises to the largest
 * block freed so far, and after the import frees a big one (a transcript
 * read whole is 12 MB at 10M lines) those arrays live in the heap
 * instead: copied each time they double, leaving holes that are not
 * given back.  A fixed threshold keeps them mapped: growing one moves no
 * bytes, and freeing one returns its memory at once. */
static void
map_large_blocks(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 256 << 10);
#endif
}

/* The files are read: what the parsers and the import's page cache freed
 * goes back to the system before analysis fills memory again (freed
 * blocks of another thread's arena would not be used by it). */
static void
give_back_memory(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

static int
analyze_imported(struct cli *cli, struct store *st, const struct import_result *res,
                 const struct analyze_options *aopt)
{
	for (size_t i = 0; i < res->incident_count; i++) {
		struct alibi_error err = { 0 };
		struct analyze_summary sum = { 0 };
		if (cli_analyze(cli, st, res->incidents[i], aopt, &sum, &err))
			return cli_fail(&err);
		struct findings_count c = { { 0 }, 0, "" };
		if (store_each_incident(st, res->incidents[i], count_findings, &c, &err))
			return cli_fail(&err);
		cli_print_safe(c.slug);
		printf(": %lld findings (%lld high, %lld medium, %lld low)\n",
		       (long long)c.total, (long long)c.by_severity[ALIBI_SEV_HIGH],
		       (long long)c.by_severity[ALIBI_SEV_MEDIUM],
		       (long long)c.by_severity[ALIBI_SEV_LOW]);
		if (aopt->zone != ANALYZE_ZONE_KEEP) {
			/* the reviewer asked for a clock: say what it did */
			cli_print_safe(c.slug);
			fputs(": clock: ", stdout);
			cli_print_safe(sum.clock_note);
			putchar('\n');
		}
	}
	return EXIT_OK;
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "incident", required_argument, NULL, 'i' },
		{ "format", required_argument, NULL, 'f' },
		{ "clock-offset", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_options opt = { NULL, NULL, 0 };
	struct analyze_options aopt = { 0 };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hi:f:", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': opt.incident = optarg; break;
		case 'f': opt.format = optarg; break;
		case 'c':
			if (cli_parse_clock_offset(optarg, &aopt))
				return EXIT_USAGE;
			break;
		case 'h': fputs(import_usage, stdout); return EXIT_OK;
		default: fputs(import_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(import_usage, stderr);
		return EXIT_USAGE;
	}
	if (opt.format && !ingest_format_by_name(opt.format)) {
		cli_error("unknown format '%s'; see 'alibi formats'", opt.format);
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		struct stat sbuf;
		if (stat(argv[i], &sbuf) != 0) {
			cli_error("%s: no such file or directory", argv[i]);
			return EXIT_USAGE;
		}
	}
	map_large_blocks();   /* before any thread starts */
	cli_rules_prefetch(cli);
	struct alibi_error err = { 0 };
	struct store *st = NULL;
	if (cli_open_store(cli, STORE_CREATE, &st, &err)) {
		cli_rules_prefetch_end();
		return cli_fail(&err);
	}
	struct import_report report = { NULL, print_bad_record, print_file_done, cli_scan_ahead };
	struct import_result res;
	int rc = import_paths(st, (const char *const *)argv + optind, (size_t)(argc - optind),
	                      &opt, &report, &res, &err);
	if (rc) {
		rc = cli_fail(&err);
	} else {
		give_back_memory();
		rc = analyze_imported(cli, st, &res, &aopt);
		/* The console's indexes are built once, after the bulk load,
		 * so opening the console later is instant at any size. */
		if (rc == EXIT_OK && res.incident_count && views_prepare(st, &err))
			rc = cli_fail(&err);
		if (rc == EXIT_OK && (res.files_partial || res.files_unrecognised || res.files_failed))
			rc = EXIT_PARTIAL;
	}
	cli_rules_prefetch_end();
	import_result_free(&res);
	store_close(st);
	return rc;
}
