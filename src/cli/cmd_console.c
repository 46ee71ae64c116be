/* cmd_console.c — `alibi [--script FILE] [PATH...]`: imports PATHs,
 * analyses the incidents they touched, then opens the review console
 * (headless when a script is given, by --script or $ALIBI_SCRIPT).
 *
 * The import runs before the console takes the terminal, on stderr, so
 * Ctrl-C during it ends alibi with the terminal as it was; each file is
 * its own transaction, so what was imported stays whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/analyze.h"
#include "alibi/cli.h"
#include "alibi/import.h"
#include "alibi/strbuf.h"
#include "alibi/tui.h"

static const char console_usage[] =
	"usage: alibi [GLOBAL OPTIONS] [--script FILE] [--clock-offset OFFSET] [PATH...]\n"
	"\n"
	"Opens the review console on the workspace, after importing and analysing\n"
	"PATHs when given (a directory is one incident).  With --script FILE (or\n"
	"ALIBI_SCRIPT=FILE) the console runs headless: keys come from FILE and the\n"
	"screen is a virtual one of $COLUMNS x $LINES; see alibi(1).\n"
	"\n"
	CLI_CLOCK_OFFSET_USAGE
	"\n";

struct progress {
	int64_t bad_shown;
};

static void
report_bad_record(void *ctx, const char *msg)
{
	struct progress *p = ctx;
	/* The first few tell what is wrong; the count tells the rest. */
	if (p->bad_shown++ < 10)
		cli_error("%s", msg);
}

static void
report_file_done(void *ctx, const char *path, const char *incident,
                 const char *format, enum import_file_status status,
                 int64_t records, int64_t errors, const char *why)
{
	(void)ctx;
	(void)incident;
	switch (status) {
	case IMPORT_OK:
	case IMPORT_PARTIAL:
		cli_error("%s: %s, %lld records%s", path, format, (long long)records,
		          errors ? ", some skipped" : "");
		break;
	case IMPORT_DUPLICATE:
		cli_error("%s: already imported", path);
		break;
	case IMPORT_SKIPPED:
		break;  /* a README beside the logs is not worth a message */
	case IMPORT_UNRECOGNISED:
	case IMPORT_FAILED:
		cli_error("%s: not imported: %s", path, why ? why : "unknown reason");
		break;
	}
}

/* Imports and analyses; *open gets the incident to open when exactly
 * one was touched.  Returns an exit code (EXIT_PARTIAL when records or
 * files were skipped). */
static int
import_and_analyze(struct cli *cli, struct store *st, const char *const *paths,
                   size_t count, const struct analyze_options *aopt, int64_t *open,
                   struct strbuf *note)
{
	struct progress prog = { 0 };
	struct import_report report = { &prog, report_bad_record, report_file_done, cli_scan_ahead };
	struct import_options opt = { NULL, NULL, 0 };
	struct import_result res;
	struct alibi_error err = { 0 };
	memset(&res, 0, sizeof res);
	cli_rules_prefetch(cli);
	cli_error("importing %zu path%s (Ctrl-C stops)", count, count == 1 ? "" : "s");
	int failed = import_paths(st, paths, count, &opt, &report, &res, &err);
	for (size_t i = 0; !failed && i < res.incident_count; i++) {
		struct analyze_summary sum;
		memset(&sum, 0, sizeof sum);
		failed = cli_analyze(cli, st, res.incidents[i], aopt, &sum, &err);
	}
	cli_rules_prefetch_end();
	if (failed) {
		import_result_free(&res);
		return cli_fail(&err);
	}
	if (res.incident_count == 1)
		*open = res.incidents[0];
	int partial = res.bad_records || res.files_partial || res.files_failed ||
	              res.files_unrecognised;
	if (partial)
		sb_addf(note, "import: %lld bad records skipped, %lld files not imported "
		        "(see alibi import)", (long long)res.bad_records,
		        (long long)(res.files_failed + res.files_unrecognised));
	import_result_free(&res);
	return partial ? EXIT_PARTIAL : EXIT_OK;
}

int
cmd_console(struct cli *cli, int argc, char **argv)
{
	const char *script = getenv("ALIBI_SCRIPT");
	if (script && !*script)
		script = NULL;
	const char **paths = xcalloc((size_t)argc + 1, sizeof *paths);
	size_t npaths = 0;
	int options_done = 0;
	struct analyze_options aopt = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!options_done && strcmp(a, "--") == 0) {
			options_done = 1;
		} else if (!options_done && strcmp(a, "--script") == 0) {
			if (i + 1 >= argc) {
				cli_error("--script needs a file");
				free(paths);
				return EXIT_USAGE;
			}
			script = argv[++i];
		} else if (!options_done && strncmp(a, "--script=", 9) == 0) {
			script = a + 9;
		} else if (!options_done && (strcmp(a, "--clock-offset") == 0 ||
		                             strncmp(a, "--clock-offset=", 15) == 0)) {
			const char *v = a[14] == '=' ? a + 15 : i + 1 < argc ? argv[++i] : NULL;
			if (!v || cli_parse_clock_offset(v, &aopt)) {
				if (!v)
					cli_error("--clock-offset needs a value");
				free(paths);
				return EXIT_USAGE;
			}
		} else if (!options_done && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			struct strbuf keys = STRBUF_INIT;
			tui_describe_keys(&keys);
			fputs(console_usage, stdout);
			fputs(sb_str(&keys), stdout);
			sb_free(&keys);
			free(paths);
			return EXIT_OK;
		} else if (!options_done && a[0] == '-' && a[1]) {
			cli_error("unknown option '%s'; see 'alibi --help'", a);
			free(paths);
			return EXIT_USAGE;
		} else {
			paths[npaths++] = a;
		}
	}
	struct store *st = NULL;
	struct alibi_error err = { 0 };
	if (cli_open_store(cli, STORE_CREATE, &st, &err)) {
		free(paths);
		return cli_fail(&err);
	}
	int64_t open = 0;
	struct strbuf note = STRBUF_INIT;
	int code = EXIT_OK;
	if (npaths)
		code = import_and_analyze(cli, st, paths, npaths, &aopt, &open, &note);
	free(paths);
	if (code != EXIT_OK && code != EXIT_PARTIAL) {
		store_close(st);
		sb_free(&note);
		return code;
	}
	struct tui_options opt;
	memset(&opt, 0, sizeof opt);
	opt.script_path = script;
	opt.theme = cli->theme;
	opt.incident = open;
	opt.message = note.len ? note.buf : NULL;
	opt.cases_dir = cli->cases_dir;
	opt.rules_path = cli->rules_path;
	int rc = tui_run(st, &opt, &err);
	store_close(st);
	sb_free(&note);
	if (rc)
		return cli_fail(&err);
	return code;
}
