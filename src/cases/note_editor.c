/* note_editor.c — notes written in the reviewer's editor (noteedit.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alibi/alloc.h"
#include "alibi/annotations.h"
#include "alibi/noteedit.h"
#include "alibi/strbuf.h"
#include "alibi/termtext.h"

static const char *
editor_command(void)
{
	const char *e = getenv("VISUAL");
	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

/* Runs the editor on path and waits for it, like system() does: the
 * console's Ctrl-C belongs to the editor meanwhile. */
static int
run_editor(const char *path, struct alibi_error *err)
{
	const char *editor = editor_command();
	struct strbuf script = STRBUF_INIT;
	sb_addf(&script, "%s \"$@\"", editor);
	struct sigaction ign, old_int, old_quit;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid_t pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execl("/bin/sh", "sh", "-c", script.buf, editor, path, (char *)NULL);
		_exit(127);
	}
	int status = 0, rc = 0;
	if (pid < 0)
		rc = alibi_error_set(err, ALIBI_EIO, "cannot start the editor: %s", strerror(errno));
	while (pid > 0 && waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = alibi_error_set(err, ALIBI_EIO, "waiting for the editor: %s", strerror(errno));
			break;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = alibi_error_set(err, ALIBI_EUSAGE,
		                     "the editor '%s' failed (%s %d); the note is unchanged", editor,
		                     WIFEXITED(status) ? "exit status" : "signal",
		                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	sb_free(&script);
	return rc;
}

static int
write_file(int fd, const char *text)
{
	size_t n = strlen(text);
	while (n) {
		ssize_t w = write(fd, text, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		text += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
read_file(const char *path, struct strbuf *out, struct alibi_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return alibi_error_set(err, ALIBI_EIO, "%s: %s", path, strerror(errno));
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		sb_add(out, buf, n);
		if (out->len > 4u * ANNOTATION_NOTE_MAX)
			break;
	}
	fclose(fp);
	return 0;
}

/* Drops '#' lines and trailing spaces, then blank lines at both ends. */
static void
strip_note(const char *text, struct strbuf *out)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (*p != '#') {
			size_t keep = n;
			while (keep && (p[keep - 1] == ' ' || p[keep - 1] == '\t' || p[keep - 1] == '\r'))
				keep--;
			if (keep || out->len)
				sb_add(out, p, keep);
			if (keep || out->len)
				sb_addc(out, '\n');
		}
		p += n + (p[n] == '\n');
	}
	while (out->len && out->buf[out->len - 1] == '\n')
		sb_truncate(out, out->len - 1);
	sb_adds(out, "");
}

int
note_edit(const char *current, const char *comment, char **note, int *cancelled,
          struct alibi_error *err)
{
	*note = NULL;
	*cancelled = 0;
	const char *tmp = getenv("TMPDIR");
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	sb_addf(&path, "%s/alibi-note-XXXXXX.md", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemps(path.buf, 3);
	if (fd < 0) {
		int rc = alibi_error_set(err, ALIBI_EIO, "%s: %s", path.buf, strerror(errno));
		sb_free(&path);
		return rc;
	}
	sb_adds(&text, current && *current ? current : "");
	sb_adds(&text, "\n\n");
	for (const char *p = comment ? comment : ""; *p;) {
		size_t n = strcspn(p, "\n");
		sb_adds(&text, n ? "# " : "#");
		sb_add(&text, p, n);
		sb_addc(&text, '\n');
		p += n + (p[n] == '\n');
	}
	int rc = 0;
	if (write_file(fd, sb_str(&text)) != 0)
		rc = alibi_error_set(err, ALIBI_EIO, "%s: %s", path.buf, strerror(errno));
	close(fd);
	if (rc == 0)
		rc = run_editor(path.buf, err);
	sb_reset(&text);
	if (rc == 0)
		rc = read_file(path.buf, &text, err);
	unlink(path.buf);
	if (rc == 0) {
		struct strbuf clean = STRBUF_INIT;
		strip_note(sb_str(&text), &clean);
		if (clean.len == 0) {
			*cancelled = 1;
			sb_free(&clean);
		} else {
			*note = sb_detach(&clean);
		}
	}
	sb_free(&path);
	sb_free(&text);
	return rc;
}

/* ---- the template ---- */

struct template_ctx {
	const char *key;
	struct strbuf *out;
	int found;
};

static void
add_safe(struct strbuf *out, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	termtext_escape(out, s ? s : "", n > max ? max : n, 0);
	if (n > max)
		sb_adds(out, "...");
}

static int
describe_finding(void *ctx, const struct store_finding_row *r)
{
	struct template_ctx *t = ctx;
	if (!r->f.stable_key || strcmp(r->f.stable_key, t->key) != 0)
		return 0;
	struct strbuf *o = t->out;
	t->found = 1;
	sb_addf(o, "Finding %.12s: %s (%s)\n  ", r->f.stable_key, r->f.kind,
	        alibi_severity_name(r->f.severity));
	add_safe(o, r->f.summary, 300);
	sb_adds(o, "\n  because: ");
	add_safe(o, r->f.because, 300);
	sb_addc(o, '\n');
	for (size_t i = 0; i < r->evidence_count && i < 12; i++) {
		const struct store_evidence_row *e = &r->evidence[i];
		sb_addf(o, "  %-10s ", e->role ? e->role : store_evidence_type_name(e->type));
		add_safe(o, e->source ? strrchr(e->source, '/') ? strrchr(e->source, '/') + 1
		                                                : e->source : "?", 80);
		sb_addf(o, ":%lld  ", (long long)e->line);
		add_safe(o, e->text, 160);
		sb_addc(o, '\n');
	}
	return 1;
}

static int
build_template(struct store *st, int64_t incident, const char *finding_key,
               const struct annotation *mine, int found, struct strbuf *out,
               struct alibi_error *err)
{
	sb_addf(out, "Write your note on this %s above. Lines starting with '#' are\n"
	        "ignored; an empty note cancels (your note stays as it was).\n\n",
	        finding_key ? "finding" : "incident");
	if (finding_key) {
		struct template_ctx t = { finding_key, out, 0 };
		if (store_each_finding(st, incident, describe_finding, &t, err))
			return err->code;
		if (!t.found)
			sb_addf(out, "Finding %.12s (not in the current analysis)\n", finding_key);
	} else {
		sb_addf(out, "Incident %lld\n", (long long)incident);
	}
	sb_addf(out, "\nYour verdict: %s", found ? annotation_verdict_name(mine->verdict) : "none");
	if (found && *mine->tags) {
		sb_adds(out, "   tags: ");
		add_safe(out, mine->tags, 400);
	}
	sb_addc(out, '\n');
	return 0;
}

int
annotation_edit_note_in_editor(struct store *st, int64_t incident,
                               const char *finding_key, const char *author,
                               int *cancelled, struct alibi_error *err)
{
	*cancelled = 0;
	struct annotation mine;
	int found;
	if (annotations_get(st, incident, finding_key, author, &mine, &found, err))
		return err->code;
	struct strbuf comment = STRBUF_INIT;
	char *note = NULL;
	int rc = build_template(st, incident, finding_key, &mine, found, &comment, err);
	if (rc == 0)
		rc = note_edit(found ? mine.note : NULL, sb_str(&comment), &note, cancelled, err);
	if (rc == 0 && !*cancelled)
		rc = annotations_set_note(st, incident, finding_key, author, note, err);
	free(note);
	sb_free(&comment);
	annotation_clear(&mine);
	return rc;
}
