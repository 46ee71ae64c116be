/* case_remote.c — talking to remotes: credentials, fetch and push.
 *
 * Local paths and file:// URLs need no credentials.  For ssh remotes the
 * keys come from the user's ssh-agent; for https a token from
 * $ALIBI_GIT_TOKEN (user $ALIBI_GIT_USER, default "x-access-token", which
 * GitHub and Gitea accept).  Nothing is ever prompted for: alibi may run
 * under the console or in a pipeline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "cases_internal.h"

/* libgit2 asks again after a failed attempt; give up instead of looping. */
#define CREDENTIAL_ATTEMPTS 3

static int
credentials(git_credential **out, const char *url, const char *user_from_url,
            unsigned int allowed, void *payload)
{
	struct cases_remote_ctx *ctx = payload;
	(void)url;
	if (++ctx->attempts > CREDENTIAL_ATTEMPTS) {
		git_error_set_str(GIT_ERROR_NET,
		                  "authentication failed (alibi tried ssh-agent and"
		                  " $ALIBI_GIT_TOKEN)");
		return GIT_EAUTH;
	}
	if (allowed & GIT_CREDENTIAL_SSH_KEY)
		return git_credential_ssh_key_from_agent(out, user_from_url ? user_from_url : "git");
	const char *token = getenv("ALIBI_GIT_TOKEN");
	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && token && *token) {
		const char *user = getenv("ALIBI_GIT_USER");
		if (!user || !*user)
			user = user_from_url && *user_from_url ? user_from_url : "x-access-token";
		return git_credential_userpass_plaintext_new(out, user, token);
	}
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user_from_url ? user_from_url : "git");
	if (allowed & GIT_CREDENTIAL_DEFAULT)
		return git_credential_default_new(out);
	git_error_set_str(GIT_ERROR_NET,
	                  "the remote wants credentials; for https set ALIBI_GIT_TOKEN"
	                  " (and ALIBI_GIT_USER), for ssh load a key into ssh-agent");
	return GIT_EAUTH;
}

static int
push_update(const char *refname, const char *status, void *data)
{
	struct cases_remote_ctx *ctx = data;
	if (status)
		snprintf(ctx->rejected, sizeof ctx->rejected, "%s: %s", refname, status);
	return 0;
}

void
cases_remote_callbacks(git_remote_callbacks *cb, struct cases_remote_ctx *ctx)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb->credentials = credentials;
	cb->push_update_reference = push_update;
	cb->payload = ctx;
}

/* 1 when name can be a remote's name in a config key. */
static int
remote_name_is_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 100 || *name == '-' || *name == '.')
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                    "0123456789._-") == n;
}

/* remote.<name>.<key> from the repository's configuration. */
static int
remote_config(struct cases *c, const char *name, const char *key, struct strbuf *out)
{
	git_config *cfg = NULL;
	git_buf buf = { 0 };
	struct strbuf var = STRBUF_INIT;
	int found = 0;
	sb_addf(&var, "remote.%s.%s", name, key);
	if (git_repository_config(&cfg, c->repo) == 0 &&
	    git_config_get_string_buf(&buf, cfg, sb_str(&var)) == 0 && buf.ptr && *buf.ptr) {
		sb_reset(out);
		sb_adds(out, buf.ptr);
		found = 1;
	}
	git_buf_dispose(&buf);
	git_config_free(cfg);
	sb_free(&var);
	return found;
}

/* The remote is built from its URL rather than looked up by name: the
 * name lookup and URL rewriting of libgit2 1.5 scan the configuration
 * with regular expressions whose match data leaks (fixed upstream in
 * 1.6), and alibi's sanitizer builds must stay leak-free.  The cost is
 * that url.<base>.insteadOf is not applied. */
int
cases_lookup_remote(struct cases *c, const char *name, int for_push,
                    git_remote **out, struct alibi_error *err)
{
	*out = NULL;
	name = name && *name ? name : "origin";
	struct strbuf url = STRBUF_INIT;
	if (!remote_name_is_valid(name))
		return alibi_error_set(err, ALIBI_EUSAGE, "'%.100s' is not a remote name", name);
	if (!(for_push && remote_config(c, name, "pushurl", &url)) &&
	    !remote_config(c, name, "url", &url)) {
		sb_free(&url);
		return alibi_error_set(err, ALIBI_ENOTFOUND,
		                       "the case repository %s has no remote '%s'; add one with"
		                       " 'git -C %s remote add %s URL' (or 'alibi case init"
		                       " --remote URL')", c->dir, name, c->dir, name);
	}
	git_remote_create_options opts;
	git_remote_create_options_init(&opts, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	opts.repository = c->repo;
	opts.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	int rc = 0;
	if (git_remote_create_with_opts(out, sb_str(&url), &opts) != 0)
		rc = cases_git_error(err, sb_str(&url));
	sb_free(&url);
	return rc;
}

int
cases_remote_add(struct cases *c, const char *name, const char *url,
                 struct alibi_error *err)
{
	struct strbuf have = STRBUF_INIT, var = STRBUF_INIT, spec = STRBUF_INIT;
	int rc = 0;
	if (!remote_name_is_valid(name)) {
		rc = alibi_error_set(err, ALIBI_EUSAGE, "'%.100s' is not a remote name", name);
	} else if (remote_config(c, name, "url", &have)) {
		if (strcmp(sb_str(&have), url) != 0)
			rc = alibi_error_set(err, ALIBI_EUSAGE,
			                     "%s: remote '%s' already points to %s; change it"
			                     " with: git -C %s remote set-url %s URL",
			                     c->dir, name, sb_str(&have), c->dir, name);
	} else {
		git_config *cfg = NULL;
		sb_addf(&var, "remote.%s.url", name);
		sb_addf(&spec, "+refs/heads/*:refs/remotes/%s/*", name);
		if (git_repository_config(&cfg, c->repo) != 0 ||
		    git_config_set_string(cfg, sb_str(&var), url) != 0)
			rc = cases_git_error(err, "adding the remote");
		sb_reset(&var);
		sb_addf(&var, "remote.%s.fetch", name);
		if (rc == 0 && git_config_set_string(cfg, sb_str(&var), sb_str(&spec)) != 0)
			rc = cases_git_error(err, "adding the remote");
		git_config_free(cfg);
	}
	sb_free(&have);
	sb_free(&var);
	sb_free(&spec);
	return rc;
}

int
case_fetch_branch(struct cases *c, git_remote *remote, const char *name,
                  const char *branch, git_oid *theirs, int *found,
                  struct alibi_error *err)
{
	*found = 0;
	struct strbuf spec = STRBUF_INIT, ref = STRBUF_INIT, want = STRBUF_INIT;
	sb_addf(&spec, "+refs/heads/%s:refs/remotes/%s/%s", branch, name, branch);
	sb_addf(&ref, "refs/remotes/%s/%s", name, branch);
	sb_addf(&want, "refs/heads/%s", branch);
	char *specs[1] = { spec.buf };
	git_strarray refspecs = { specs, 1 };
	struct cases_remote_ctx ctx = { 0, "" };
	git_fetch_options fo;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	cases_remote_callbacks(&fo.callbacks, &ctx);
	const git_remote_head **heads = NULL;
	size_t n = 0;
	int rc = 0;
	if (git_remote_connect(remote, GIT_DIRECTION_FETCH, &fo.callbacks, NULL, NULL) != 0 ||
	    git_remote_ls(&heads, &n, remote) != 0) {
		rc = cases_git_error(err, "fetching");
	} else {
		for (size_t i = 0; i < n; i++) {
			if (strcmp(heads[i]->name, sb_str(&want)) == 0) {
				git_oid_cpy(theirs, &heads[i]->oid);
				*found = 1;
			}
		}
		if (*found && git_remote_download(remote, &refspecs, &fo) != 0)
			rc = cases_git_error(err, "fetching");
	}
	git_remote_disconnect(remote);
	git_reference *tracking = NULL;
	if (rc == 0 && *found &&
	    git_reference_create(&tracking, c->repo, sb_str(&ref), theirs, 1,
	                         "alibi case pull: fetch") != 0)
		rc = cases_git_error(err, sb_str(&ref));
	git_reference_free(tracking);
	if (rc)
		alibi_error_prefix(err, "%s (%s)", name, git_remote_url(remote));
	sb_free(&spec);
	sb_free(&ref);
	sb_free(&want);
	return rc;
}

int
cases_push(struct cases *c, const char *remote_name,
           const struct cases_report *rep, struct alibi_error *err)
{
	struct cases_state s;
	const char *name = remote_name && *remote_name ? remote_name : "origin";
	if (cases_repo_state(c, name, &s, err))
		return err->code;
	if (s.detached || !s.branch[0])
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "cannot push: the case repository %s has a detached HEAD;"
		                       " check out a branch first", c->dir);
	if (s.unborn)
		return alibi_error_set(err, ALIBI_EUSAGE,
		                       "nothing to push: no case is committed in %s yet"
		                       " ('alibi case commit' first)", c->dir);
	git_remote *remote = NULL;
	if (cases_lookup_remote(c, name, 1, &remote, err))
		return err->code;
	struct strbuf spec = STRBUF_INIT, ref = STRBUF_INIT;
	sb_addf(&spec, "refs/heads/%s:refs/heads/%s", s.branch, s.branch);
	sb_addf(&ref, "refs/remotes/%s/%s", name, s.branch);
	char *specs[1] = { spec.buf };
	git_strarray refspecs = { specs, 1 };
	struct cases_remote_ctx ctx = { 0, "" };
	git_push_options po;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	cases_remote_callbacks(&po.callbacks, &ctx);
	int rc = git_remote_push(remote, &refspecs, &po);
	const git_error *ge = rc ? git_error_last() : NULL;
	int non_ff = rc == GIT_ENONFASTFORWARD || ctx.rejected[0] ||
	             (ge && ge->message && strstr(ge->message, "fast-forward"));
	if (non_ff) {
		rc = alibi_error_set(err, ALIBI_EUSAGE,
		                     "%s refused the push of %s: it has commits this repository"
		                     " does not have yet; run 'alibi case pull', then push again",
		                     name, s.branch);
	} else if (rc) {
		rc = cases_git_error(err, "pushing");
		alibi_error_prefix(err, "%s (%s)", name, git_remote_url(remote));
	} else {
		/* What the remote now has, as `git push` records it. */
		git_oid head;
		git_reference *tracking = NULL;
		if (git_oid_fromstr(&head, s.head) == 0)
			git_reference_create(&tracking, c->repo, sb_str(&ref), &head, 1,
			                     "alibi case push");
		git_reference_free(tracking);
		cases_report_info(rep, "pushed %s to %s (%s)", s.branch, name,
		                  git_remote_url(remote));
	}
	sb_free(&spec);
	sb_free(&ref);
	git_remote_free(remote);
	return rc;
}
