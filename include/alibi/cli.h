/* cli.h — the command line: one file per subcommand in src/cli/, a table
 * of them here, and the few helpers they share.  Only cli/ decides exit
 * codes and prints errors. */
#ifndef ALIBI_CLI_H
#define ALIBI_CLI_H

#include <stdint.h>
#include "alibi/error.h"
#include "alibi/store.h"

#define ALIBI_VERSION "0.1.0"

enum cli_exit {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1,   /* findings at or above --fail-on */
	EXIT_USAGE = 2,
	EXIT_PARTIAL = 3,    /* some input was skipped */
	EXIT_INTERNAL = 4
};

/* Options accepted anywhere on the command line, before or after the
 * subcommand. */
struct cli {
	const char *db_path;     /* --db FILE */
	const char *cases_dir;   /* --cases DIR */
	const char *rules_path;  /* --rules FILE */
	const char *theme;       /* --theme NAME */
	const char *prog;        /* "alibi" */
};

/* name, function, one-line summary (for `alibi --help`).  A subcommand
 * file defines `int cmd_NAME(struct cli *cli, int argc, char **argv)`,
 * where argv[0] is the subcommand's name and global options are gone. */
#define CLI_COMMANDS(X) \
	X(import,    "import transcripts and action logs into the workspace") \
	X(incidents, "list the incidents in the workspace") \
	X(findings,  "list findings (--json, --fail-on SEVERITY)") \
	X(show,      "print an incident's Said | Did report") \
	X(compare,   "two runs of a task: what only one of them did or said") \
	X(sql,       "run a read-only SQL query on the workspace") \
	X(analyze,   "re-run analysis on an incident") \
	X(annotate,  "set a verdict, note or tags on a finding or incident") \
	X(case,      "the shared case repository (init|commit|status|log|list|open|pull|push)") \
	X(formats,   "list the formats alibi reads; check an action log (--check FILE)") \
	X(rules,     "check a rules file (--check FILE)")

#define CLI_DECLARE(name, summary) int cmd_##name(struct cli *cli, int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE)
#undef CLI_DECLARE

/* The review console, run when no subcommand is given: argv[0] is the
 * program's name, the rest PATHs to import and --script FILE. */
int cmd_console(struct cli *cli, int argc, char **argv);

/* Prints "alibi: message" to stderr (message made safe for a terminal). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Maps an error to an exit code after printing it. */
int cli_fail(const struct alibi_error *err);

/* Opens the workspace named by --db or the default path. */
int cli_open_store(const struct cli *cli, int flags, struct store **st,
                   struct alibi_error *err);
/* Resolves an incident argument (slug or id); when name is NULL and the
 * workspace holds exactly one incident, that one. */
int cli_resolve_incident(struct store *st, const char *name, int64_t *id,
                         struct alibi_error *err);

struct analyze_options;
struct analyze_summary;
/* Starts compiling the rules cli_analyze() will use on a thread, so that
 * a command that reads files first (import) does not wait for them later.
 * The thread then finds the claims of each message the import stores
 * (cli_scan_ahead, the import_report's message callback), for
 * cli_analyze() to take, until cli_rules_prefetch_end(); the rules stay. */
void cli_rules_prefetch(const struct cli *cli);
struct alibi_message;
void cli_scan_ahead(void *ctx, int64_t message, const struct alibi_message *m);
void cli_rules_prefetch_end(void);
/* Runs analysis on one incident with the default rules plus --rules and
 * the user's config-dir rules. */
int cli_analyze(const struct cli *cli, struct store *st, int64_t incident,
                const struct analyze_options *opt, struct analyze_summary *sum,
                struct alibi_error *err);
/* Sets opt from --clock-offset's value: the zone the action logs' times of
 * day were written in (+02:00, -3600, 90m, ...; see time_parse_offset), or
 * "auto" to estimate it again.  Prints the problem and returns -1 when the
 * value is none of these. */
int cli_parse_clock_offset(const char *value, struct analyze_options *opt);
/* The --clock-offset lines of a subcommand's usage. */
#define CLI_CLOCK_OFFSET_USAGE \
	"  --clock-offset OFFSET  the action logs' times of day are in this zone:\n" \
	"                   +02:00, -05:30, or a number with unit h, m, s or ms\n" \
	"                   (no unit: seconds; -1h is UTC-01:00); 'auto' estimates\n" \
	"                   it again.  Kept for later analyses of the incident.\n"

/* Sets *severity from --fail-on's value (low, medium or high).  Prints
 * the problem and returns -1 when it is none of these. */
int cli_parse_fail_on(const char *value, int *severity);

/* Writes s to stdout made safe for a terminal (control characters shown as
 * ^X), since what we print comes from untrusted logs. */
void cli_print_safe(const char *s);

#endif
