/* cmd_case.c — `alibi case init|commit|status|log|list|open|pull|push`:
 * the git-backed case repository a team shares (alibi-cases(5)). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/annotations.h"
#include "alibi/cases.h"
#include "alibi/cli.h"
#include "alibi/rules.h"
#include "alibi/strbuf.h"
#include "alibi/timeparse.h"

static const char case_usage[] =
	"usage: alibi case COMMAND [ARGS]\n"
	"\n"
	"The case repository (--cases DIR, $ALIBI_CASES, git config alibi.cases, or\n"
	"$XDG_DATA_HOME/alibi/cases) is a git repository; see alibi-cases(5).\n"
	"\n"
	"  init [DIR] [--remote URL]   create the repository, or adopt a git repository\n"
	"  commit [INCIDENT] [-m MSG] [--author 'N <e>'] [--evidence-cap SIZE]\n"
	"                              write the incident's case and commit it\n"
	"  status                      annotations not committed yet; repository state\n"
	"  log [SLUG] [-n N] [--full]  history of the repository or of one case\n"
	"  list                        the cases in the repository\n"
	"  open SLUG                   import a case (evidence and notes) into the workspace\n"
	"  pull [REMOTE] [--author 'N <e>']\n"
	"                              fetch and merge teammates' cases (default origin)\n"
	"  push [REMOTE]               publish your commits (default origin)\n";

/* ---- shared ---- */

static void
print_warning(void *ctx, const char *msg)
{
	(void)ctx;
	cli_error("warning: %s", msg);
}

static void
print_info(void *ctx, const char *msg)
{
	(void)ctx;
	cli_print_safe(msg);
	putchar('\n');
}

static const struct cases_report report = { NULL, print_warning, print_info };

struct case_opts {
	const char *message, *author, *remote;
	uint64_t evidence_cap;
	int max, full;
};

static int
parse_size(const char *s, uint64_t *out)
{
	char *end = NULL;
	double v = strtod(s, &end);
	if (!end || end == s || v <= 0)
		return -1;
	double mul = 1;
	switch (*end) {
	case 'k': case 'K': mul = 1024.0; end++; break;
	case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
	default: break;
	}
	if (*end == 'i' || *end == 'B')
		end += *end == 'i' ? 1 : 0;
	if (*end == 'B')
		end++;
	if (*end || v * mul > 1e15)
		return -1;
	*out = (uint64_t)(v * mul);
	return 0;
}

/* Parses the options the subcommands share; returns -1 for --help. */
static int
parse_case_options(int argc, char **argv, struct case_opts *o, int max_args)
{
	static const struct option longopts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "author", required_argument, NULL, 'a' },
		{ "remote", required_argument, NULL, 'r' },
		{ "evidence-cap", required_argument, NULL, 'c' },
		{ "max-count", required_argument, NULL, 'n' },
		{ "full", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hm:n:", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': o->message = optarg; break;
		case 'a': o->author = optarg; break;
		case 'r': o->remote = optarg; break;
		case 'f': o->full = 1; break;
		case 'n': o->max = atoi(optarg); break;
		case 'c':
			if (parse_size(optarg, &o->evidence_cap)) {
				cli_error("--evidence-cap takes a size such as 50M, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h': fputs(case_usage, stdout); return -1;
		default: fputs(case_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind > max_args) {
		fputs(case_usage, stderr);
		return EXIT_USAGE;
	}
	return 0;
}

static int
open_repo(const struct cli *cli, struct cases **c, struct strbuf *dir,
          struct alibi_error *err)
{
	if (cases_resolve_dir(cli->cases_dir, dir, err))
		return err->code;
	return cases_repo_open(sb_str(dir), c, err);
}

/* ---- init ---- */

static int
case_init(struct cli *cli, int argc, char **argv)
{
	struct case_opts o = { 0 };
	int rc = parse_case_options(argc, argv, &o, 1);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct alibi_error err = { 0 };
	struct strbuf dir = STRBUF_INIT;
	int created = 0;
	if (optind < argc)
		sb_adds(&dir, argv[optind]);
	else if (cases_resolve_dir(cli->cases_dir, &dir, &err))
		rc = cli_fail(&err);
	if (rc == 0 && cases_init(sb_str(&dir), o.remote, &created, &err))
		rc = cli_fail(&err);
	if (rc == 0) {
		fputs(created ? "created case repository " : "adopted git repository ", stdout);
		cli_print_safe(sb_str(&dir));
		putchar('\n');
		if (o.remote) {
			fputs("remote origin: ", stdout);
			cli_print_safe(o.remote);
			putchar('\n');
		}
	}
	sb_free(&dir);
	return rc;
}

/* ---- commit ---- */

static int
case_commit(struct cli *cli, int argc, char **argv)
{
	struct case_opts o = { 0 };
	int rc = parse_case_options(argc, argv, &o, 1);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct alibi_error err = { 0 };
	struct case_identity who;
	struct store *st = NULL;
	struct cases *c = NULL;
	struct strbuf dir = STRBUF_INIT;
	int64_t incident = 0;
	struct cases_commit_result res;
	struct cases_commit_options opt = { &who, o.message, o.evidence_cap };
	if (cases_identity(o.author, &who, &err) ||
	    cli_open_store(cli, 0, &st, &err) ||
	    cli_resolve_incident(st, optind < argc ? argv[optind] : NULL, &incident, &err) ||
	    open_repo(cli, &c, &dir, &err) ||
	    cases_commit(c, st, incident, &opt, &report, &res, &err)) {
		rc = cli_fail(&err);
	} else if (!res.committed) {
		fputs("nothing to commit: case ", stdout);
		cli_print_safe(res.slug);
		fputs(" is up to date in ", stdout);
		cli_print_safe(sb_str(&dir));
		putchar('\n');
	} else {
		fputs("committed case ", stdout);
		cli_print_safe(res.slug);
		printf(" (%.12s): %s; %d note%s written, %d evidence file%s copied",
		       res.commit, res.summary, res.notes_written,
		       res.notes_written == 1 ? "" : "s", res.evidence_copied,
		       res.evidence_copied == 1 ? "" : "s");
		if (res.evidence_omitted)
			printf(", %d left out", res.evidence_omitted);
		putchar('\n');
	}
	cases_repo_close(c);
	store_close(st);
	sb_free(&dir);
	return rc;
}

/* ---- status ---- */

static int
print_uncommitted(void *ctx, const struct annotation *a)
{
	(void)ctx;
	printf("    %-14.12s %-10s ", a->finding_key ? a->finding_key : "(incident)",
	       annotation_verdict_name(a->verdict));
	cli_print_safe(a->author);
	if (*a->note) {
		size_t n = strcspn(a->note, "\n");
		struct strbuf first = STRBUF_INIT;
		sb_add(&first, a->note, n > 50 ? 50 : n);
		fputs("  \"", stdout);
		cli_print_safe(sb_str(&first));
		fputs(n > 50 ? "...\"" : "\"", stdout);
		sb_free(&first);
	}
	putchar('\n');
	return 0;
}

static int
count_one(void *ctx, const struct annotation *a)
{
	(void)a;
	++*(int *)ctx;
	return 0;
}

struct status_walk {
	struct store *st;
	int total;
};

static int
status_each_incident(void *ctx, const struct store_incident *inc)
{
	struct status_walk *w = ctx;
	struct alibi_error err = { 0 };
	int n = 0;
	annotations_each(w->st, inc->id, ANNOTATIONS_UNCOMMITTED, NULL, count_one, &n, &err);
	if (n == 0)
		return 0;
	if (w->total == 0)
		puts("not committed yet:");
	w->total += n;
	fputs("  ", stdout);
	cli_print_safe(inc->slug);
	printf(": %d annotation%s\n", n, n == 1 ? "" : "s");
	annotations_each(w->st, inc->id, ANNOTATIONS_UNCOMMITTED, NULL, print_uncommitted, NULL, &err);
	return 0;
}

static void
print_repo_state(const struct cases_state *s)
{
	if (s->detached)
		printf("HEAD detached at %.12s (alibi needs a branch checked out)\n", s->head);
	else if (s->unborn)
		printf("on branch %s, no commits yet\n", s->branch);
	else
		printf("on branch %s at %.12s\n", s->branch, s->head);
	if (s->has_upstream && (s->ahead || s->behind))
		printf("%d commit%s to push, %d to merge (as of the last pull)\n", s->ahead,
		       s->ahead == 1 ? "" : "s", s->behind);
	if (s->operation)
		puts("git left an operation (merge, rebase, ...) in progress: finish it with git");
	if (s->dirty) {
		printf("%d change%s made outside alibi, not committed:\n", s->dirty,
		       s->dirty == 1 ? "" : "s");
		cli_print_safe(s->dirty_paths);
	}
}

static int
case_status(struct cli *cli, int argc, char **argv)
{
	struct case_opts o = { 0 };
	int rc = parse_case_options(argc, argv, &o, 0);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct alibi_error err = { 0 };
	struct strbuf dir = STRBUF_INIT;
	struct cases *c = NULL;
	struct store *st = NULL;
	struct cases_state s;
	if (cases_resolve_dir(cli->cases_dir, &dir, &err))
		return cli_fail(&err);
	fputs("case repository: ", stdout);
	cli_print_safe(sb_str(&dir));
	if (cases_repo_open(sb_str(&dir), &c, &err)) {
		if (err.code != ALIBI_ENOTFOUND)
			rc = cli_fail(&err);
		else
			puts(" (not created yet: 'alibi case init')");
	} else if (cases_repo_state(c, o.remote, &s, &err)) {
		rc = cli_fail(&err);
	} else {
		putchar('\n');
		print_repo_state(&s);
	}
	cases_repo_close(c);
	if (rc == 0 && cli_open_store(cli, STORE_CREATE, &st, &err))
		rc = cli_fail(&err);
	if (rc == 0) {
		struct status_walk w = { st, 0 };
		if (store_each_incident(st, 0, status_each_incident, &w, &err))
			rc = cli_fail(&err);
		else if (w.total == 0)
			puts("every annotation is committed");
		else
			puts("(commit them with 'alibi case commit INCIDENT')");
	}
	store_close(st);
	sb_free(&dir);
	return rc;
}

/* ---- log and list ---- */

static int
print_log_entry(void *ctx, const struct cases_log_entry *e)
{
	const struct case_opts *o = ctx;
	char when[40];
	time_format_iso(when, sizeof when, (e->time + (int64_t)e->tz_minutes * 60) * 1000000);
	when[16] = '\0';
	when[10] = ' ';
	printf("%.12s %s %+03d%02d  ", e->commit, when, e->tz_minutes / 60,
	       abs(e->tz_minutes) % 60);
	cli_print_safe(e->author);
	fputs(" <", stdout);
	cli_print_safe(e->email);
	fputs(">\n    ", stdout);
	cli_print_safe(e->subject);
	putchar('\n');
	if (o->full && *e->body) {
		for (const char *p = e->body; *p;) {
			size_t n = strcspn(p, "\n");
			struct strbuf line = STRBUF_INIT;
			sb_add(&line, p, n);
			fputs("    ", stdout);
			cli_print_safe(sb_str(&line));
			putchar('\n');
			sb_free(&line);
			p += n + (p[n] == '\n');
		}
	}
	return 0;
}

static int
case_log(struct cli *cli, int argc, char **argv)
{
	struct case_opts o = { 0 };
	int rc = parse_case_options(argc, argv, &o, 1);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct alibi_error err = { 0 };
	struct strbuf dir = STRBUF_INIT;
	struct cases *c = NULL;
	if (open_repo(cli, &c, &dir, &err) ||
	    cases_log(c, optind < argc ? argv[optind] : NULL, o.max, print_log_entry, &o, &err))
		rc = cli_fail(&err);
	cases_repo_close(c);
	sb_free(&dir);
	return rc;
}

static int
print_case(void *ctx, const struct cases_list_entry *e)
{
	++*(int *)ctx;
	cli_print_safe(e->slug);
	printf("  %s  %d finding%s (%d confirmed, %d dismissed, %d unclear, %d open)  %d note%s  ",
	       e->status, e->findings, e->findings == 1 ? "" : "s",
	       e->verdicts[ANNOTATION_CONFIRMED], e->verdicts[ANNOTATION_DISMISSED],
	       e->verdicts[ANNOTATION_UNCLEAR], e->verdicts[ANNOTATION_NONE], e->notes,
	       e->notes == 1 ? "" : "s");
	cli_print_safe(e->title ? e->title : "");
	putchar('\n');
	return 0;
}

static int
case_list(struct cli *cli, int argc, char **argv)
{
	struct case_opts o = { 0 };
	int rc = parse_case_options(argc, argv, &o, 0);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct alibi_error err = { 0 };
	struct strbuf dir = STRBUF_INIT;
	struct cases *c = NULL;
	int count = 0;
	if (open_repo(cli, &c, &dir, &err) || cases_list(c, print_case, &count, &err))
		rc = cli_fail(&err);
	else if (count == 0)
		puts("no cases yet ('alibi case commit INCIDENT' makes one)");
	cases_repo_close(c);
	sb_free(&dir);
	return rc;
}

/* ---- open ---- */

static int
case_open(struct cli *cli, int argc, char **argv)
{
	struct case_opts o = { 0 };
	int rc = parse_case_options(argc, argv, &o, 1);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (optind >= argc) {
		fputs(case_usage, stderr);
		return EXIT_USAGE;
	}
	struct alibi_error err = { 0 };
	struct strbuf dir = STRBUF_INIT;
	struct cases *c = NULL;
	struct store *st = NULL;
	struct rules *rules = NULL;
	struct cases_open_result res;
	if (open_repo(cli, &c, &dir, &err) ||
	    cli_open_store(cli, STORE_CREATE, &st, &err) ||
	    rules_load_all(cli->rules_path, &rules, &err) ||
	    cases_open_case(c, st, argv[optind], rules, &report, &res, &err)) {
		rc = cli_fail(&err);
	} else {
		fputs("opened case ", stdout);
		cli_print_safe(argv[optind]);
		printf(" as incident %" PRId64 ": %d source%s imported", res.incident,
		       res.sources_imported, res.sources_imported == 1 ? "" : "s");
		if (res.sources_missing)
			printf(" (%d missing)", res.sources_missing);
		printf(", %d of %d finding%s found again, %d note%s (%d new)\n",
		       res.findings_expected - res.findings_missing, res.findings_expected,
		       res.findings_expected == 1 ? "" : "s", res.notes_total,
		       res.notes_total == 1 ? "" : "s", res.notes_imported);
		if (res.sources_missing)
			rc = EXIT_PARTIAL;
	}
	rules_free(rules);
	cases_repo_close(c);
	store_close(st);
	sb_free(&dir);
	return rc;
}

/* ---- pull and push ---- */

static int
case_pull(struct cli *cli, int argc, char **argv)
{
	struct case_opts o = { 0 };
	int rc = parse_case_options(argc, argv, &o, 1);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct alibi_error err = { 0 }, id_err = { 0 };
	struct strbuf dir = STRBUF_INIT;
	struct cases *c = NULL;
	struct store *st = NULL;
	struct case_identity who;
	/* A fast-forward needs no identity; a merge commit does, and then
	 * says how to set one. */
	int have_id = cases_identity(o.author, &who, &id_err) == 0;
	struct cases_pull_result res;
	if (open_repo(cli, &c, &dir, &err) || cli_open_store(cli, STORE_CREATE, &st, &err)) {
		rc = cli_fail(&err);
	} else if (cases_pull(c, st, optind < argc ? argv[optind] : NULL,
	                      have_id ? &who : NULL, &report, &res, &err)) {
		rc = cli_fail(have_id || !strstr(err.msg, "identity") ? &err : &id_err);
	} else if (res.notes_imported) {
		printf("%d note%s loaded into the workspace\n", res.notes_imported,
		       res.notes_imported == 1 ? "" : "s");
	}
	cases_repo_close(c);
	store_close(st);
	sb_free(&dir);
	return rc;
}

static int
case_push(struct cli *cli, int argc, char **argv)
{
	struct case_opts o = { 0 };
	int rc = parse_case_options(argc, argv, &o, 1);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	struct alibi_error err = { 0 };
	struct strbuf dir = STRBUF_INIT;
	struct cases *c = NULL;
	if (open_repo(cli, &c, &dir, &err) ||
	    cases_push(c, optind < argc ? argv[optind] : NULL, &report, &err))
		rc = cli_fail(&err);
	cases_repo_close(c);
	sb_free(&dir);
	return rc;
}

/* ---- dispatch ---- */

#define CASE_COMMANDS(X) \
	X(init) X(commit) X(status) X(log) X(list) X(open) X(pull) X(push)

int
cmd_case(struct cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct cli *, int, char **);
	} subs[] = {
#define CASE_ENTRY(name) { #name, case_##name },
		CASE_COMMANDS(CASE_ENTRY)
#undef CASE_ENTRY
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(case_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(cli, argc - 1, argv + 1);
	cli_error("unknown case command '%s'", argv[1]);
	fputs(case_usage, stderr);
	return EXIT_USAGE;
}
