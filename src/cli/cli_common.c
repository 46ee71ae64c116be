/* cli_common.c — what the subcommands share: errors, the workspace,
 * incident names, safe printing, analysis with the user's rules. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/analyze.h"
#include "alibi/cli.h"
#include "alibi/path.h"
#include "alibi/strbuf.h"
#include "alibi/termtext.h"
#include "alibi/timeparse.h"

void
cli_error(const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT, safe = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	termtext_escape(&safe, msg.buf ? msg.buf : "", msg.len, TERMTEXT_KEEP_NEWLINES);
	fprintf(stderr, "alibi: %s\n", sb_str(&safe));
	sb_free(&msg);
	sb_free(&safe);
}

int
cli_fail(const struct alibi_error *err)
{
	cli_error("%s", err->msg[0] ? err->msg : "unknown error");
	switch (err->code) {
	case ALIBI_EUSAGE:
	case ALIBI_ENOTFOUND:
		return EXIT_USAGE;
	case ALIBI_EFORMAT:
		return EXIT_PARTIAL;
	default:
		return EXIT_INTERNAL;
	}
}

int
cli_open_store(const struct cli *cli, int flags, struct store **st,
               struct alibi_error *err)
{
	char path[4096];
	if (cli->db_path) {
		snprintf(path, sizeof path, "%s", cli->db_path);
	} else if (store_default_path(path, sizeof path, err)) {
		return err->code;
	}
	if (flags & STORE_READONLY) {
		/* A workspace that does not exist yet is empty, not an error:
		 * create it so `alibi incidents` on a fresh machine says so. */
		FILE *probe = fopen(path, "rb");
		if (!probe)
			flags = STORE_CREATE;
		else
			fclose(probe);
	}
	return store_open(path, flags, st, err);
}

struct only_one {
	int64_t id;
	int count;
};

static int
count_incident(void *ctx, const struct store_incident *inc)
{
	struct only_one *o = ctx;
	o->id = inc->id;
	return ++o->count > 1;
}

int
cli_resolve_incident(struct store *st, const char *name, int64_t *id,
                     struct alibi_error *err)
{
	if (name) {
		/* "Other Run" finds the incident imported as --incident "Other Run",
		 * whose slug is other-run. */
		if (store_incident_find(st, name, id, err) == 0)
			return 0;
		struct strbuf slug = STRBUF_INIT;
		path_slugify(&slug, name);
		int rc = store_incident_find(st, sb_str(&slug), id, NULL);
		sb_free(&slug);
		return rc ? err->code : 0;
	}
	struct only_one o = { 0, 0 };
	if (store_each_incident(st, 0, count_incident, &o, err))
		return err->code;
	if (o.count == 0)
		return alibi_error_set(err, ALIBI_ENOTFOUND,
		                       "the workspace has no incidents; import some with 'alibi import PATH'");
	if (o.count > 1)
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "the workspace has several incidents; name one (see 'alibi incidents')");
	*id = o.id;
	return 0;
}

void
cli_print_safe(const char *s)
{
	struct strbuf safe = STRBUF_INIT;
	if (s)
		termtext_escape(&safe, s, strlen(s), TERMTEXT_KEEP_NEWLINES | TERMTEXT_TABS_AS_SPACE);
	fputs(sb_str(&safe), stdout);
	sb_free(&safe);
}

/* Compiling the rules takes longer than analysing a small incident, and
 * one import may analyse thousands (an eval log's samples), so they are
 * compiled once a run and kept until it ends.  An import starts the
 * compiling on a thread of its own (cli_rules_prefetch) so that it runs
 * while the files are read instead of after; the thread then finds the
 * claims of the messages the import stores (cli_scan_ahead), while the
 * action logs after them are read, until cli_rules_prefetch_end(). */
static struct {
	struct rules *rules;         /* compiled for path */
	const char *path;
	pthread_t thread;            /* compiling them, then scanning ahead */
	int started;
	pthread_mutex_t lock;
	pthread_cond_t compiled;
	int ready;                   /* the thread has compiled: rc, err */
	int waited;                  /* and run_rules() has taken the result */
	int rc;
	struct alibi_error err;
	struct claim_scans *ahead;   /* the messages stored, for the thread */
} run_rules_state = { .lock = PTHREAD_MUTEX_INITIALIZER, .compiled = PTHREAD_COND_INITIALIZER };

static void *
compile_rules_main(void *arg)
{
	(void)arg;
	struct rules *rules = NULL;
	struct alibi_error err = { 0 };
	int rc = rules_load_all(run_rules_state.path, &rules, &err);
	pthread_mutex_lock(&run_rules_state.lock);
	run_rules_state.rules = rules;
	run_rules_state.rc = rc;
	run_rules_state.err = err;
	run_rules_state.ready = 1;
	pthread_cond_broadcast(&run_rules_state.compiled);
	pthread_mutex_unlock(&run_rules_state.lock);
	if (!rc)
		claim_scans_work(run_rules_state.ahead, rules);
	else
		claim_scans_finish(run_rules_state.ahead);   /* the import stops queuing */
	return NULL;
}

void
cli_rules_prefetch(const struct cli *cli)
{
	if (run_rules_state.started || run_rules_state.rules)
		return;
	run_rules_state.path = cli->rules_path;
	run_rules_state.ahead = claim_scans_new();
	run_rules_state.ready = run_rules_state.waited = 0;
	run_rules_state.started =
		pthread_create(&run_rules_state.thread, NULL, compile_rules_main, NULL) == 0;
	if (!run_rules_state.started) {
		claim_scans_free(run_rules_state.ahead);
		run_rules_state.ahead = NULL;
	}
}

void
cli_scan_ahead(void *ctx, int64_t message, const struct alibi_message *m)
{
	(void)ctx;
	if (run_rules_state.ahead)
		claim_scans_add_message(run_rules_state.ahead, message, m);
}

void
cli_rules_prefetch_end(void)
{
	if (!run_rules_state.started)
		return;
	claim_scans_finish(run_rules_state.ahead);
	pthread_join(run_rules_state.thread, NULL);
	claim_scans_free(run_rules_state.ahead);
	run_rules_state.ahead = NULL;
	run_rules_state.started = 0;
	run_rules_state.waited = 1;
}

/* Waits for the compiling cli_rules_prefetch() started, if any; its
 * failure is told once, as a compile of our own would tell it. */
static int
wait_prefetch(struct alibi_error *err)
{
	if (!run_rules_state.started || run_rules_state.waited)
		return 0;
	pthread_mutex_lock(&run_rules_state.lock);
	while (!run_rules_state.ready)
		pthread_cond_wait(&run_rules_state.compiled, &run_rules_state.lock);
	pthread_mutex_unlock(&run_rules_state.lock);
	run_rules_state.waited = 1;
	if (run_rules_state.rc) {
		*err = run_rules_state.err;
		run_rules_state.path = NULL;
		return run_rules_state.rc;
	}
	return 0;
}

static struct rules *
run_rules(const struct cli *cli, struct alibi_error *err)
{
	if (wait_prefetch(err))
		return NULL;
	if (run_rules_state.rules && run_rules_state.path == cli->rules_path)
		return run_rules_state.rules;
	struct rules *fresh = NULL;
	if (rules_load_all(cli->rules_path, &fresh, err))
		return NULL;
	rules_free(run_rules_state.rules);
	run_rules_state.rules = fresh;
	run_rules_state.path = cli->rules_path;
	return fresh;
}

int
cli_analyze(const struct cli *cli, struct store *st, int64_t incident,
            const struct analyze_options *opt, struct analyze_summary *sum,
            struct alibi_error *err)
{
	struct rules *rules = run_rules(cli, err);
	if (!rules)
		return err->code;
	struct analyze_options with_ahead = { 0 };
	if (opt)
		with_ahead = *opt;
	/* used only where the thread scanned with these same rules */
	with_ahead.ahead = run_rules_state.ahead;
	return analyze_incident(st, incident, rules, &with_ahead, sum, err);
}

int
cli_parse_fail_on(const char *value, int *severity)
{
	*severity = alibi_severity_from_name(value);
	if (*severity < 0) {
		cli_error("--fail-on takes low, medium or high, not '%s'", value);
		return -1;
	}
	return 0;
}

int
cli_parse_clock_offset(const char *value, struct analyze_options *opt)
{
	if (strcmp(value, "auto") == 0) {
		opt->zone = ANALYZE_ZONE_ESTIMATE;
		opt->zone_us = 0;
		return 0;
	}
	int64_t us;
	if (time_parse_offset(value, &us)) {
		cli_error("--clock-offset takes a zone such as +02:00 or -05:30, a number of"
		          " seconds, or a number with a unit (-1h, 90m, 30s, 500ms), at most"
		          " 24 hours; or auto; not '%s'", value);
		return -1;
	}
	opt->zone = ANALYZE_ZONE_GIVEN;
	opt->zone_us = us;
	return 0;
}
