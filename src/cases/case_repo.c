/* case_repo.c — finding, creating and opening the case repository, the
 * reviewer's identity, and the checks that keep alibi from committing into
 * a repository plain git left half-way. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "cases_internal.h"

int
cases_git_error(struct alibi_error *err, const char *doing)
{
	const git_error *e = git_error_last();
	return alibi_error_set(err, ALIBI_EGIT, "%s: %s", doing,
	                       e && e->message ? e->message : "unknown git error");
}

static void
report(void (*fn)(void *, const char *), void *ctx, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	sb_vaddf(&sb, fmt, ap);
	fn(ctx, sb_str(&sb));
	sb_free(&sb);
}

void
cases_report_warn(const struct cases_report *rep, const char *fmt, ...)
{
	if (!rep || !rep->warn)
		return;
	va_list ap;
	va_start(ap, fmt);
	report(rep->warn, rep->ctx, fmt, ap);
	va_end(ap);
}

void
cases_report_info(const struct cases_report *rep, const char *fmt, ...)
{
	if (!rep || !rep->info)
		return;
	va_list ap;
	va_start(ap, fmt);
	report(rep->info, rep->ctx, fmt, ap);
	va_end(ap);
}

int
cases_slug_is_valid(const char *slug)
{
	return slug && strlen(slug) <= CASE_SLUG_MAX && path_is_safe_component(slug);
}

/* The same normal form import gives incident names, so a case opened by a
 * teammate becomes an incident of the same slug and is committed back to
 * the same directory. */
void
cases_slug_for(const char *incident_slug, struct strbuf *out)
{
	sb_reset(out);
	path_slugify(out, incident_slug ? incident_slug : "");
	if (out->len > CASE_SLUG_MAX)
		sb_truncate(out, CASE_SLUG_MAX);
}

/* ---- configuration ---- */

/* A string from the user's git configuration, or *found = 0. */
static int
git_config_value(const char *key, int as_path, struct strbuf *out, int *found)
{
	*found = 0;
	git_config *cfg = NULL;
	git_buf buf = { 0 };
	git_libgit2_init();
	if (git_config_open_default(&cfg) == 0) {
		int rc = as_path ? git_config_get_path(&buf, cfg, key)
		                 : git_config_get_string_buf(&buf, cfg, key);
		if (rc == 0 && buf.ptr && *buf.ptr) {
			sb_adds(out, buf.ptr);
			*found = 1;
		}
		git_buf_dispose(&buf);
		git_config_free(cfg);
	}
	git_libgit2_shutdown();
	return 0;
}

int
cases_resolve_dir(const char *dir, struct strbuf *out, struct alibi_error *err)
{
	sb_reset(out);
	if (dir && *dir) {
		sb_adds(out, dir);
		return 0;
	}
	const char *env = getenv("ALIBI_CASES");
	if (env && *env) {
		sb_adds(out, env);
		return 0;
	}
	int found;
	git_config_value("alibi.cases", 1, out, &found);
	if (found)
		return 0;
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg == '/')
		sb_addf(out, "%s/alibi/cases", xdg);
	else if (home && *home)
		sb_addf(out, "%s/.local/share/alibi/cases", home);
	else
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "neither XDG_DATA_HOME nor HOME is set; use --cases DIR");
	return 0;
}

/* ---- identity ---- */

static int
fill_identity(struct case_identity *id, const char *name, size_t name_len,
              const char *email, size_t email_len)
{
	while (name_len && name[name_len - 1] == ' ')
		name_len--;
	while (name_len && *name == ' ') {
		name++;
		name_len--;
	}
	if (name_len == 0 || email_len == 0 || name_len >= sizeof id->name ||
	    email_len >= sizeof id->email)
		return -1;
	memcpy(id->name, name, name_len);
	id->name[name_len] = '\0';
	memcpy(id->email, email, email_len);
	id->email[email_len] = '\0';
	int n = snprintf(id->author, sizeof id->author, "%s <%s>", id->name, id->email);
	if (n < 0 || (size_t)n >= sizeof id->author ||
	    !annotation_author_is_valid(id->author) ||
	    strchr(id->name, '<') || strchr(id->name, '>'))
		return -1;
	return 0;
}

/* "Name <email>" into id. */
static int
parse_author(const char *text, struct case_identity *id)
{
	const char *lt = strchr(text, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	if (!lt || !gt || gt[1] != '\0')
		return -1;
	return fill_identity(id, text, (size_t)(lt - text), lt + 1, (size_t)(gt - lt - 1));
}

int
cases_identity(const char *override, struct case_identity *id,
               struct alibi_error *err)
{
	memset(id, 0, sizeof *id);
	const char *env = getenv("ALIBI_AUTHOR");
	const char *given = override && *override ? override : env && *env ? env : NULL;
	if (given) {
		if (parse_author(given, id))
			return alibi_error_set(err, ALIBI_EUSAGE,
			                       "author '%.*s' is not of the form 'Name <email>'%s",
			                       120, given, given == env ? " (from ALIBI_AUTHOR)" : "");
		return 0;
	}
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	const char *gname = getenv("GIT_AUTHOR_NAME"), *gmail = getenv("GIT_AUTHOR_EMAIL");
	int has_name = 0, has_email = 0;
	if (gname && *gname && gmail && *gmail) {
		sb_adds(&name, gname);
		sb_adds(&email, gmail);
		has_name = has_email = 1;
	} else {
		git_config_value("user.name", 0, &name, &has_name);
		git_config_value("user.email", 0, &email, &has_email);
	}
	int rc = 0;
	if (!has_name || !has_email)
		rc = alibi_error_set(err, ALIBI_EUSAGE,
		                     "who is reviewing? alibi signs annotations with your git identity;"
		                     " set it with\n  git config --global user.name \"Your Name\"\n"
		                     "  git config --global user.email you@example.com\n"
		                     "or pass --author \"Name <email>\" (or set ALIBI_AUTHOR)");
	else if (fill_identity(id, name.buf, name.len, email.buf, email.len))
		rc = alibi_error_set(err, ALIBI_EUSAGE,
		                     "git identity '%.100s <%.100s>' cannot sign annotations"
		                     " (control characters or angle brackets?)",
		                     sb_str(&name), sb_str(&email));
	sb_free(&name);
	sb_free(&email);
	return rc;
}

int
cases_signature(const struct case_identity *who, git_signature **out,
                struct alibi_error *err)
{
	if (!who || !who->name[0])
		return alibi_error_set(err, ALIBI_EUSAGE, "no reviewer identity for the commit");
	if (git_signature_now(out, who->name, who->email) != 0)
		return cases_git_error(err, "making the commit signature");
	return 0;
}

/* ---- opening ---- */

static int
make_dirs(const char *dir, struct alibi_error *err)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			rc = alibi_error_set(err, ALIBI_EIO, "%s: cannot create directory: %s",
			                     p, strerror(errno));
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

/* Opens dir as a repository with a working tree; *missing = 1 when it is
 * not a repository at all. */
static int
open_repo(const char *dir, git_repository **repo, int *missing,
          struct alibi_error *err)
{
	*missing = 0;
	int rc = git_repository_open_ext(repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == GIT_ENOTFOUND) {
		*missing = 1;
		return 0;
	}
	if (rc != 0)
		return cases_git_error(err, dir);
	if (git_repository_is_bare(*repo)) {
		git_repository_free(*repo);
		*repo = NULL;
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "%s is a bare git repository; a case repository needs a"
		                       " working tree (clone it: git clone %s DIR)", dir, dir);
	}
	return 0;
}

int
cases_init(const char *dir, const char *remote_url, int *created,
           struct alibi_error *err)
{
	if (created)
		*created = 0;
	if (make_dirs(dir, err))
		return err->code;
	git_libgit2_init();
	git_repository *repo = NULL;
	int missing;
	int rc = open_repo(dir, &repo, &missing, err);
	if (rc == 0 && missing) {
		git_repository_init_options opts;
		git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		opts.flags = GIT_REPOSITORY_INIT_MKPATH;
		opts.initial_head = "main";
		if (git_repository_init_ext(&repo, dir, &opts) != 0)
			rc = cases_git_error(err, dir);
		else if (created)
			*created = 1;
	}
	if (rc == 0 && remote_url && *remote_url) {
		struct cases c = { repo, (char *)dir };
		rc = cases_remote_add(&c, "origin", remote_url, err);
	}
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

int
cases_repo_open(const char *dir, struct cases **out, struct alibi_error *err)
{
	*out = NULL;
	git_libgit2_init();
	git_repository *repo = NULL;
	int missing;
	if (open_repo(dir, &repo, &missing, err)) {
		git_libgit2_shutdown();
		return err->code;
	}
	if (missing) {
		git_libgit2_shutdown();
		return alibi_error_set(err, ALIBI_ENOTFOUND,
		                       "%s is not a case repository; create one with"
		                       " 'alibi case init' (or pass --cases DIR)", dir);
	}
	struct cases *c = xcalloc(1, sizeof *c);
	c->repo = repo;
	const char *wd = git_repository_workdir(repo);
	c->dir = xstrdup(wd ? wd : dir);
	size_t n = strlen(c->dir);
	while (n > 1 && c->dir[n - 1] == '/')
		c->dir[--n] = '\0';
	*out = c;
	return 0;
}

void
cases_repo_close(struct cases *c)
{
	if (!c)
		return;
	git_repository_free(c->repo);
	free(c->dir);
	free(c);
	git_libgit2_shutdown();
}

const char *
cases_repo_dir(const struct cases *c)
{
	return c->dir;
}

/* ---- state ---- */

static void
head_branch(git_repository *repo, struct cases_state *s)
{
	git_reference *head = NULL;
	if (git_reference_lookup(&head, repo, "HEAD") != 0)
		return;
	const char *target = git_reference_symbolic_target(head);
	if (target && strncmp(target, "refs/heads/", 11) == 0)
		snprintf(s->branch, sizeof s->branch, "%s", target + 11);
	git_reference_free(head);
}

static int
collect_dirty(git_repository *repo, struct cases_state *s, struct alibi_error *err)
{
	git_status_options opts;
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	git_status_list *list = NULL;
	if (git_status_list_new(&list, repo, &opts) != 0)
		return cases_git_error(err, "reading the repository's status");
	size_t n = git_status_list_entrycount(list);
	struct strbuf paths = STRBUF_INIT;
	int shown = 0;
	for (size_t i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		if (e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED))
			continue;
		s->dirty++;
		const git_diff_delta *d = e->head_to_index ? e->head_to_index : e->index_to_workdir;
		if (shown++ < 5 && d && d->new_file.path)
			sb_addf(&paths, "  %s\n", d->new_file.path);
	}
	if (shown > 5)
		sb_addf(&paths, "  ... and %d more\n", shown - 5);
	snprintf(s->dirty_paths, sizeof s->dirty_paths, "%s", sb_str(&paths));
	sb_free(&paths);
	git_status_list_free(list);
	return 0;
}

static void
upstream_distance(git_repository *repo, const char *remote, struct cases_state *s)
{
	char ref[400];
	snprintf(ref, sizeof ref, "refs/remotes/%s/%s", remote ? remote : "origin", s->branch);
	git_oid theirs, ours;
	if (!s->branch[0] || git_reference_name_to_id(&theirs, repo, ref) != 0)
		return;
	s->has_upstream = 1;
	if (s->unborn || git_reference_name_to_id(&ours, repo, "HEAD") != 0) {
		s->behind = 1;   /* at least: there is something to pull */
		return;
	}
	size_t ahead = 0, behind = 0;
	if (git_graph_ahead_behind(&ahead, &behind, repo, &ours, &theirs) == 0) {
		s->ahead = (int)ahead;
		s->behind = (int)behind;
	}
}

int
cases_repo_state(struct cases *c, const char *remote, struct cases_state *s,
                 struct alibi_error *err)
{
	memset(s, 0, sizeof *s);
	git_repository *repo = c->repo;
	s->unborn = git_repository_head_unborn(repo) == 1;
	s->detached = git_repository_head_detached(repo) == 1;
	s->operation = git_repository_state(repo) != GIT_REPOSITORY_STATE_NONE;
	if (!s->detached)
		head_branch(repo, s);
	git_oid head;
	if (!s->unborn && git_reference_name_to_id(&head, repo, "HEAD") == 0)
		git_oid_tostr(s->head, sizeof s->head, &head);
	if (collect_dirty(repo, s, err))
		return err->code;
	upstream_distance(repo, remote, s);
	return 0;
}

int
cases_require_clean(struct cases *c, const char *doing, struct alibi_error *err)
{
	struct cases_state s;
	if (cases_repo_state(c, NULL, &s, err))
		return err->code;
	if (s.detached)
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "cannot %s: the case repository %s has a detached HEAD"
		                       " (at %.12s); check out a branch first: git -C %s switch main",
		                       doing, c->dir, s.head, c->dir);
	if (s.operation)
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "cannot %s: git left an operation (merge, rebase, ...) in"
		                       " progress in %s; finish or abort it with git first",
		                       doing, c->dir);
	if (!s.branch[0])
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "cannot %s: HEAD of %s is not a branch", doing, c->dir);
	if (s.dirty)
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "cannot %s: the case repository %s has %d uncommitted"
		                       " change%s made outside alibi:\n%s"
		                       "commit or discard them with git first",
		                       doing, c->dir, s.dirty, s.dirty == 1 ? "" : "s",
		                       s.dirty_paths);
	return 0;
}
