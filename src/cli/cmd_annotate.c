/* cmd_annotate.c — `alibi annotate FINDING|INCIDENT [--verdict V]
 * [--note TEXT] [--edit] [--tag T] [--untag T] [--author "Name <email>"]`
 *
 * Each change is written to the workspace the moment it is made; without
 * a change the annotations on the target are shown. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/annotations.h"
#include "alibi/cases.h"
#include "alibi/cli.h"
#include "alibi/noteedit.h"
#include "alibi/strbuf.h"
#include "alibi/timeparse.h"

static const char annotate_usage[] =
	"usage: alibi annotate FINDING|INCIDENT [options]\n"
	"\n"
	"Records your verdict, note and tags on a finding (its id from 'alibi findings',\n"
	"or a unique prefix of at least 6 characters) or on an incident (slug or id).\n"
	"Each change is saved at once. Without options, shows the annotations.\n"
	"\n"
	"  -v, --verdict V        confirmed, dismissed, unclear, or none\n"
	"  -m, --note TEXT        set your note ('-' reads it from standard input)\n"
	"  -e, --edit             write your note in $VISUAL/$EDITOR, as git commit does\n"
	"                         (with --note: that text is saved, then edited)\n"
	"  -t, --tag T            add a tag (repeatable; commas separate several)\n"
	"      --untag T          remove a tag\n"
	"      --tags LIST        replace your tags (\"\" removes them all)\n"
	"  -i, --incident NAME    look the finding up in this incident only\n"
	"      --author 'N <e>'   annotate as this reviewer (default: git user.name/email)\n";

struct annotate_opts {
	const char *verdict, *note, *tags_set, *incident, *author;
	struct strbuf tags_add, tags_remove;
	int edit;
	int changes;
};

static int
read_stdin(struct strbuf *out)
{
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
		sb_add(out, buf, n);
		if (out->len > ANNOTATION_NOTE_MAX + 1)
			break;
	}
	while (out->len && out->buf[out->len - 1] == '\n')
		sb_truncate(out, out->len - 1);
	sb_adds(out, "");
	return ferror(stdin) ? -1 : 0;
}

static int
parse_options(int argc, char **argv, struct annotate_opts *o)
{
	static const struct option longopts[] = {
		{ "verdict", required_argument, NULL, 'v' },
		{ "note", required_argument, NULL, 'm' },
		{ "edit", no_argument, NULL, 'e' },
		{ "tag", required_argument, NULL, 't' },
		{ "untag", required_argument, NULL, 'u' },
		{ "tags", required_argument, NULL, 'T' },
		{ "incident", required_argument, NULL, 'i' },
		{ "author", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hv:m:et:i:", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': o->verdict = optarg; o->changes++; break;
		case 'm': o->note = optarg; o->changes++; break;
		case 'e': o->edit = 1; o->changes++; break;
		case 't': sb_addf(&o->tags_add, ",%s", optarg); o->changes++; break;
		case 'u': sb_addf(&o->tags_remove, ",%s", optarg); o->changes++; break;
		case 'T': o->tags_set = optarg; o->changes++; break;
		case 'i': o->incident = optarg; break;
		case 'a': o->author = optarg; break;
		case 'h': fputs(annotate_usage, stdout); return -1;
		default: fputs(annotate_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fputs(annotate_usage, stderr);
		return EXIT_USAGE;
	}
	return 0;
}

/* ---- showing ---- */

static int
show_one(void *ctx, const struct annotation *a)
{
	int *count = ctx;
	char when[40];
	time_format_iso(when, sizeof when, a->updated_at);
	when[16] = '\0';
	when[10] = ' ';
	fputs("  ", stdout);
	cli_print_safe(a->author);
	printf("  %s  %s UTC", annotation_verdict_name(a->verdict), when);
	if (*a->tags) {
		fputs("  tags: ", stdout);
		cli_print_safe(a->tags);
	}
	printf("  %s%.12s\n", a->committed_in ? "committed in " : "not committed",
	       a->committed_in ? a->committed_in : "");
	for (const char *p = a->note; *p;) {
		size_t n = strcspn(p, "\n");
		struct strbuf line = STRBUF_INIT;
		sb_add(&line, p, n);
		fputs("      ", stdout);
		cli_print_safe(sb_str(&line));
		putchar('\n');
		sb_free(&line);
		p += n + (p[n] == '\n');
	}
	++*count;
	return 0;
}

static int
print_incident_slug(void *ctx, const struct store_incident *inc)
{
	(void)ctx;
	cli_print_safe(inc->slug);
	return 1;
}

static void
print_target(struct store *st, const struct annotation_target *t)
{
	struct alibi_error err = { 0 };
	if (t->is_finding)
		printf("finding %s in ", t->finding_key);
	fputs("incident ", stdout);
	store_each_incident(st, t->incident, print_incident_slug, NULL, &err);
	putchar('\n');
}

static int
show(struct store *st, const struct annotation_target *t, struct alibi_error *err)
{
	print_target(st, t);
	int count = 0;
	int rc = annotations_each(st, t->incident,
	                          t->is_finding ? ANNOTATIONS_FINDING : ANNOTATIONS_INCIDENT_ONLY,
	                          t->is_finding ? t->finding_key : NULL, show_one, &count, err);
	if (rc == 0 && count == 0)
		puts("  no annotations yet");
	return rc;
}

/* ---- changing ---- */

static int
apply(struct store *st, const struct annotation_target *t, const char *author,
      struct annotate_opts *o, struct alibi_error *err)
{
	const char *key = t->is_finding ? t->finding_key : NULL;
	int64_t inc = t->incident;
	if (o->verdict) {
		int v = annotation_verdict_from_name(o->verdict);
		if (v < 0)
			return alibi_error_set(err, ALIBI_EUSAGE, "--verdict takes confirmed,"
			                       " dismissed, unclear or none, not '%s'", o->verdict);
		if (annotations_set_verdict(st, inc, key, author, (enum annotation_verdict)v, err))
			return err->code;
		printf("verdict: %s\n", annotation_verdict_name((enum annotation_verdict)v));
	}
	if (o->tags_set && annotations_set_tags(st, inc, key, author, o->tags_set, err))
		return err->code;
	if (o->tags_add.len && annotations_add_tags(st, inc, key, author, sb_str(&o->tags_add), 0, err))
		return err->code;
	if (o->tags_remove.len &&
	    annotations_add_tags(st, inc, key, author, sb_str(&o->tags_remove), 1, err))
		return err->code;
	if (o->note) {
		struct strbuf in = STRBUF_INIT;
		int rc = 0;
		if (strcmp(o->note, "-") == 0 && read_stdin(&in) != 0)
			rc = alibi_error_set(err, ALIBI_EIO, "reading the note from standard input");
		if (rc == 0)
			rc = annotations_set_note(st, inc, key, author,
			                          strcmp(o->note, "-") == 0 ? sb_str(&in) : o->note, err);
		sb_free(&in);
		if (rc)
			return rc;
		puts("note saved");
	}
	if (o->edit) {
		int cancelled = 0;
		fflush(stdout);   /* what was saved is said before the editor runs */
		if (annotation_edit_note_in_editor(st, inc, key, author, &cancelled, err))
			return err->code;
		puts(cancelled ? "empty note: nothing changed" : "note saved");
	}
	return 0;
}

int
cmd_annotate(struct cli *cli, int argc, char **argv)
{
	struct annotate_opts o;
	memset(&o, 0, sizeof o);
	sb_init(&o.tags_add);
	sb_init(&o.tags_remove);
	int rc = parse_options(argc, argv, &o);
	if (rc) {
		sb_free(&o.tags_add);
		sb_free(&o.tags_remove);
		return rc < 0 ? EXIT_OK : rc;
	}
	struct alibi_error err = { 0 };
	struct store *st = NULL;
	struct case_identity who;
	struct annotation_target t;
	int64_t only = 0;
	if (o.changes && cases_identity(o.author, &who, &err))
		rc = cli_fail(&err);
	else if (cli_open_store(cli, 0, &st, &err))
		rc = cli_fail(&err);
	else if (o.incident && cli_resolve_incident(st, o.incident, &only, &err))
		rc = cli_fail(&err);
	else if (annotations_resolve(st, argv[optind], only, &t, &err))
		rc = cli_fail(&err);
	else if (o.changes ? apply(st, &t, who.author, &o, &err) : show(st, &t, &err))
		rc = cli_fail(&err);
	else if (o.changes && show(st, &t, &err))
		rc = cli_fail(&err);
	store_close(st);
	sb_free(&o.tags_add);
	sb_free(&o.tags_remove);
	return rc;
}
