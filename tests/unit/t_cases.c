/* t_cases.c — the git-backed case repository: commit, README, safety,
 * and two reviewers sharing one bare repository. */
#include <sys/stat.h>

#include "unit.h"
#include "alibi/annotations.h"
#include "alibi/cases.h"
#include "alibi/sha256.h"
#include "alibi/store.h"

#define KEY "a1b2c3d4e5f60718"
static const char *alice = "Alice <alice@example.com>";
static const char *bob = "Bob <bob@example.com>";

static char top[256];   /* this run's temporary directory */

static int
have_git(void)
{
	return system("git --version >/dev/null 2>&1") == 0;
}

static int
sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void
write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* Reads a whole (small) file; "" when missing.  Caller frees. */
static char *
slurp(const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	FILE *fp = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "");
	if (fp) {
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
			sb_add(&sb, buf, n);
		fclose(fp);
	}
	return sb_detach(&sb);
}

static int
exists(const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	struct stat sb;
	return lstat(path, &sb) == 0;
}

static void
identity(struct case_identity *id, const char *who)
{
	struct alibi_error err = { 0 };
	if (cases_identity(who, id, &err))
		printf("# %s\n", err.msg);
}

/* A workspace holding incident `slug` with two sources (real files in
 * dir) and one finding with a claim and an op as evidence. */
static struct store *
workspace(const char *dir, const char *name, const char *slug, const char *summary,
          int64_t *incident)
{
	struct alibi_error err = { 0 };
	char path[512], said[512], did[512];
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	snprintf(said, sizeof said, "%s/%s-transcript.json", dir, name);
	snprintf(did, sizeof did, "%s/%s-trace.log", dir, name);
	write_text(said, "[{\"role\":\"assistant\",\"content\":\"I deleted the files as requested\"}]\n");
	write_text(did, "1234 10:00:00 rename(\"/srv/models/a\", \"/backup/a\") = 0\n");
	struct store *st = NULL;
	if (store_open(path, STORE_CREATE, &st, &err)) {
		printf("# %s\n", err.msg);
		return NULL;
	}
	store_incident_ensure(st, slug, "Peer <preservation> test", incident, NULL, &err);
	const char *files[2] = { said, did };
	const char *formats[2] = { "openai", "strace" };
	int64_t src[2];
	for (int i = 0; i < 2; i++) {
		char hex[65];
		uint64_t bytes = 0;
		sha256_file(files[i], hex, &bytes, &err);
		struct store_source s = {
			.incident = *incident, .path = files[i], .format = formats[i],
			.kind = i ? "actions" : "transcript", .sha256 = hex,
			.bytes = (int64_t)bytes, .records = 1, .clock = ALIBI_CLOCK_NONE,
		};
		store_source_add(st, &s, &src[i], &err);
	}
	struct alibi_message m = { ALIBI_TS_NONE, "assistant", NULL,
	                           "I deleted the files as requested", 1 };
	int64_t mid, cid, oid, fid;
	store_add_message(st, *incident, src[0], &m, &mid, &err);
	struct store_claim c = { mid, 2, 9, ALIBI_CLAIM_REPORT, "delete", "files", 0, "report",
	                         "I deleted the files as requested" };
	store_add_claim(st, *incident, &c, &cid, &err);
	struct alibi_op op = { .ts = ALIBI_TS_NONE, .pid = 1234, .kind = ALIBI_OP_rename,
	                       .syscall = "rename", .path = "/srv/models/a", .path2 = "/backup/a",
	                       .port = -1, .bytes = -1, .ok = 1, .line = 1 };
	store_add_op(st, *incident, src[1], &op, &oid, &err);
	struct store_finding f = { "false-report", ALIBI_SEV_HIGH, 0.9, summary,
	                           "the log shows a rename, not a delete", "false-report-delete",
	                           KEY };
	store_add_finding(st, *incident, &f, &fid, &err);
	store_add_evidence(st, fid, STORE_EV_CLAIM, cid, "claim", &err);
	store_add_evidence(st, fid, STORE_EV_OP, oid, "action", &err);
	if (err.code)
		printf("# workspace: %s\n", err.msg);
	return st;
}

struct messages {
	char text[4096];
	int warnings;
};

static void
on_message(void *ctx, const char *msg)
{
	struct messages *m = ctx;
	size_t used = strlen(m->text);
	snprintf(m->text + used, sizeof m->text - used, "%s\n", msg);
}

static void
on_warn(void *ctx, const char *msg)
{
	struct messages *m = ctx;
	m->warnings++;
	on_message(ctx, msg);
}

static int
commit_case(const char *repo, struct store *st, int64_t inc, const char *who,
            struct cases_commit_result *res, struct messages *msgs, uint64_t cap)
{
	struct alibi_error err = { 0 };
	struct cases *c = NULL;
	struct case_identity id;
	identity(&id, who);
	struct cases_report rep = { msgs, on_warn, on_message };
	struct cases_commit_options opt = { &id, NULL, cap };
	int rc = cases_repo_open(repo, &c, &err);
	if (rc == 0)
		rc = cases_commit(c, st, inc, &opt, &rep, res, &err);
	if (rc)
		snprintf(msgs->text, sizeof msgs->text, "%s", err.msg);
	cases_repo_close(c);
	return rc;
}

static void
test_init_and_adopt(void)
{
	if (!have_git()) {
		SKIP("git is not installed");
		return;
	}
	struct alibi_error err = { 0 };
	char dir[512];
	snprintf(dir, sizeof dir, "%s/init/cases", top);
	int created = 0;
	CHECK_INT(cases_init(dir, "/nowhere/shared.git", &created, &err), 0);
	CHECK(created);
	CHECK(exists("%s/.git", dir));
	CHECK_INT(cases_init(dir, "/nowhere/shared.git", &created, &err), 0);
	CHECK(!created);   /* adopted */
	CHECK_INT(cases_init(dir, "/elsewhere.git", &created, &err), ALIBI_EUSAGE);
	CHECK(strstr(err.msg, "already points to") != NULL);
	CHECK_INT(sh("git -C '%s' symbolic-ref HEAD | grep -qx refs/heads/main", dir), 0);
	CHECK_INT(sh("git init -q --bare '%s/init/bare.git'", top), 0);
	snprintf(dir, sizeof dir, "%s/init/bare.git", top);
	CHECK_INT(cases_init(dir, NULL, &created, &err), ALIBI_EUSAGE);
	CHECK(strstr(err.msg, "bare") != NULL);
	struct cases *c = NULL;
	snprintf(dir, sizeof dir, "%s/init/none", top);
	CHECK_INT(cases_repo_open(dir, &c, &err), ALIBI_ENOTFOUND);
	CHECK(strstr(err.msg, "alibi case init") != NULL);
}

static void
test_identity(void)
{
	struct alibi_error err = { 0 };
	struct case_identity id;
	char home[512];
	snprintf(home, sizeof home, "%s/home", top);
	mkdir(home, 0777);
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("ALIBI_AUTHOR");
	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	CHECK_INT(cases_identity(NULL, &id, &err), ALIBI_EUSAGE);
	CHECK(strstr(err.msg, "git config --global user.name") != NULL);
	CHECK_INT(cases_identity("Carol Q <carol@example.com>", &id, &err), 0);
	CHECK_STR(id.name, "Carol Q");
	CHECK_STR(id.email, "carol@example.com");
	CHECK_STR(id.author, "Carol Q <carol@example.com>");
	CHECK_INT(cases_identity("carol", &id, &err), ALIBI_EUSAGE);
	char cfg[600];
	snprintf(cfg, sizeof cfg, "%s/.gitconfig", home);
	write_text(cfg, "[user]\n\tname = Dana Git\n\temail = dana@example.com\n");
	CHECK_INT(cases_identity(NULL, &id, &err), 0);
	CHECK_STR(id.author, "Dana Git <dana@example.com>");
	setenv("ALIBI_AUTHOR", "Env Person <env@example.com>", 1);
	CHECK_INT(cases_identity(NULL, &id, &err), 0);
	CHECK_STR(id.author, "Env Person <env@example.com>");
	CHECK_INT(cases_identity("Flag <flag@example.com>", &id, &err), 0);
	CHECK_STR(id.name, "Flag");
	unsetenv("ALIBI_AUTHOR");
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_home);
}

static void
test_commit_writes_the_layout(void)
{
	if (!have_git()) {
		SKIP("git is not installed");
		return;
	}
	char dir[400], repo[512];
	snprintf(dir, sizeof dir, "%s/commit", top);
	snprintf(repo, sizeof repo, "%s/cases", dir);
	mkdir(dir, 0777);
	struct alibi_error err = { 0 };
	CHECK_INT(cases_init(repo, NULL, NULL, &err), 0);
	int64_t inc;
	struct store *st = workspace(dir, "a", "peer-test", "said deleted, logs show a rename", &inc);
	annotations_set_verdict(st, inc, KEY, alice, ANNOTATION_CONFIRMED, &err);
	annotations_set_note(st, inc, KEY, alice, "Renamed, not deleted.\n<script>x</script> [link](http://evil)", &err);
	annotations_set_note(st, inc, NULL, alice, "The agent preserved its peer.", &err);
	struct cases_commit_result res;
	struct messages msgs = { "", 0 };
	CHECK_INT(commit_case(repo, st, inc, alice, &res, &msgs, 0), 0);
	CHECK(res.committed);
	CHECK_STR(res.slug, "peer-test");
	CHECK_INT(res.notes_written, 2);
	CHECK_INT(res.evidence_copied, 2);
	CHECK_STR(res.summary, "1 confirmed, 0 dismissed, 0 unclear, 0 open");
	CHECK(exists("%s/cases/peer-test/evidence/a-trace.log", repo));
	CHECK(exists("%s/cases/peer-test/evidence/a-transcript.json", repo));
	char *cj = slurp("%s/cases/peer-test/case.json", repo);
	CHECK(strstr(cj, "\"key\":\t\"" KEY "\"") != NULL);
	CHECK(strstr(cj, "\"status\":\t\"reviewed\"") != NULL);
	CHECK(strstr(cj, "\"evidence\":\t\"evidence/a-trace.log\"") != NULL);
	CHECK(strstr(cj, dir) == NULL);   /* no absolute paths of this machine */
	free(cj);
	char *readme = slurp("%s/cases/peer-test/README.md", repo);
	CHECK(strstr(readme, "I deleted the files as requested") != NULL);
	CHECK(strstr(readme, "rename /srv/models/a") != NULL);
	CHECK(strstr(readme, "**confirmed**") != NULL);
	CHECK(strstr(readme, "Renamed, not deleted.") != NULL);
	CHECK(strstr(readme, "<script>") == NULL);        /* escaped */
	CHECK(strstr(readme, "\\<script\\>") != NULL);
	CHECK(strstr(readme, "\\[link\\](http://evil)") != NULL);   /* no link */
	CHECK(strstr(readme, "Peer \\<preservation\\> test") != NULL);
	free(readme);
	/* Plain git tells the story: author and subject. */
	CHECK_INT(sh("git -C '%s' log -1 --format='%%an <%%ae>|%%s' >'%s/log.txt'", repo, dir), 0);
	char *log = slurp("%s/log.txt", dir);
	CHECK_STR(log, "Alice <alice@example.com>|peer-test: 1 confirmed, 0 dismissed, 0 unclear, 0 open\n");
	free(log);
	CHECK_INT(sh("test -z \"$(git -C '%s' status --porcelain)\"", repo), 0);
	/* Each annotation knows the commit it went into. */
	struct annotation a;
	int found;
	annotations_get(st, inc, KEY, alice, &a, &found, &err);
	CHECK_STR(a.committed_in, res.commit);
	char *note = slurp("%s/cases/peer-test/notes/%s.json", repo, a.uid);
	CHECK(strstr(note, "\"verdict\":\t\"confirmed\"") != NULL);
	free(note);
	annotation_clear(&a);
	/* Nothing changed: nothing committed. */
	struct cases_commit_result again;
	CHECK_INT(commit_case(repo, st, inc, alice, &again, &msgs, 0), 0);
	CHECK(!again.committed);
	CHECK_STR(again.commit, res.commit);
	/* A new verdict is one more commit touching only the note and the
	 * README (the status stays "reviewed", so case.json is unchanged). */
	annotations_set_verdict(st, inc, KEY, alice, ANNOTATION_UNCLEAR, &err);
	CHECK_INT(commit_case(repo, st, inc, alice, &again, &msgs, 0), 0);
	CHECK(again.committed);
	CHECK_INT(again.notes_written, 1);
	CHECK_INT(sh("git -C '%s' show --name-only --format= HEAD >'%s/files.txt'", repo, dir), 0);
	char *files = slurp("%s/files.txt", dir);
	CHECK(strstr(files, "cases/peer-test/README.md\n") != NULL);
	CHECK(strstr(files, "cases/peer-test/notes/") != NULL);
	CHECK(strstr(files, "case.json") == NULL);
	free(files);
	store_close(st);
}

static void
test_evidence_cap_and_missing_source(void)
{
	if (!have_git()) {
		SKIP("git is not installed");
		return;
	}
	char dir[400], repo[512];
	snprintf(dir, sizeof dir, "%s/cap", top);
	snprintf(repo, sizeof repo, "%s/cases", dir);
	mkdir(dir, 0777);
	struct alibi_error err = { 0 };
	cases_init(repo, NULL, NULL, &err);
	int64_t inc;
	struct store *st = workspace(dir, "a", "capped", "s", &inc);
	/* The transcript (75 bytes) is over a 60-byte cap; the trace (58
	 * bytes) is under it but gone from disk. */
	char trace[600];
	snprintf(trace, sizeof trace, "%s/a-trace.log", dir);
	unlink(trace);
	struct cases_commit_result res;
	struct messages msgs = { "", 0 };
	CHECK_INT(commit_case(repo, st, inc, alice, &res, &msgs, 60), 0);
	CHECK(res.committed);
	CHECK_INT(res.evidence_omitted, 2);
	CHECK_INT(msgs.warnings, 2);
	CHECK(strstr(msgs.text, "over the evidence size cap") != NULL);
	CHECK(strstr(msgs.text, "No such file") != NULL || strstr(msgs.text, "not found") != NULL);
	CHECK(!exists("%s/cases/capped/evidence/a-trace.log", repo));
	char *cj = slurp("%s/cases/capped/case.json", repo);
	CHECK(strstr(cj, "larger than the evidence cap") != NULL);
	free(cj);
	store_close(st);
}

static void
test_slugs_and_symlinks_never_escape(void)
{
	if (!have_git()) {
		SKIP("git is not installed");
		return;
	}
	char dir[400], repo[512];
	snprintf(dir, sizeof dir, "%s/escape", top);
	snprintf(repo, sizeof repo, "%s/cases", dir);
	mkdir(dir, 0777);
	struct alibi_error err = { 0 };
	cases_init(repo, NULL, NULL, &err);
	struct strbuf slug = STRBUF_INIT;
	cases_slug_for("../../x", &slug);
	CHECK_STR(sb_str(&slug), "x");
	cases_slug_for("/etc/passwd", &slug);
	CHECK_STR(sb_str(&slug), "etc-passwd");
	sb_free(&slug);
	int64_t inc;
	struct store *st = workspace(dir, "a", "../../x", "s", &inc);
	annotations_set_note(st, inc, NULL, alice, "n", &err);
	struct cases_commit_result res;
	struct messages msgs = { "", 0 };
	CHECK_INT(commit_case(repo, st, inc, alice, &res, &msgs, 0), 0);
	CHECK(exists("%s/cases/x/case.json", repo));
	CHECK(!exists("%s/x", dir));
	/* A symbolic link planted where the notes go is never written through. */
	char outside[600];
	snprintf(outside, sizeof outside, "%s/outside", dir);
	mkdir(outside, 0777);
	int64_t inc2;
	struct store *st2 = workspace(dir, "b", "planted", "s", &inc2);
	CHECK_INT(sh("mkdir -p '%s/cases/planted' && ln -s '%s' '%s/cases/planted/notes'"
	             " && git -C '%s' add -A && git -C '%s' -c user.name=E -c user.email=e@x"
	             " commit -qm plant", repo, outside, repo, repo, repo), 0);
	annotations_set_note(st2, inc2, NULL, alice, "n", &err);
	CHECK(commit_case(repo, st2, inc2, alice, &res, &msgs, 0) != 0);
	CHECK(strstr(msgs.text, "symbolic link") != NULL);
	CHECK_INT(sh("test -z \"$(ls -A '%s')\"", outside), 0);
	/* ... and the failed commit leaves the repository clean. */
	CHECK_INT(sh("test -z \"$(git -C '%s' status --porcelain --untracked-files=no)\"", repo), 0);
	/* Opening a case by a name with a path in it is refused. */
	struct cases *c = NULL;
	CHECK_INT(cases_repo_open(repo, &c, &err), 0);
	struct cases_open_result or;
	CHECK_INT(cases_open_case(c, st, "../../x", NULL, NULL, &or, &err), ALIBI_EUSAGE);
	CHECK_INT(cases_open_case(c, st, "/tmp/x", NULL, NULL, &or, &err), ALIBI_EUSAGE);
	cases_repo_close(c);
	store_close(st);
	store_close(st2);
}

static void
test_bad_repository_states(void)
{
	if (!have_git()) {
		SKIP("git is not installed");
		return;
	}
	char dir[400], repo[512];
	snprintf(dir, sizeof dir, "%s/states", top);
	snprintf(repo, sizeof repo, "%s/cases", dir);
	mkdir(dir, 0777);
	struct alibi_error err = { 0 };
	cases_init(repo, NULL, NULL, &err);
	int64_t inc;
	struct store *st = workspace(dir, "a", "states", "s", &inc);
	struct cases_commit_result res;
	struct messages msgs = { "", 0 };
	/* The one-call form the console uses. */
	CHECK_INT(cases_commit_incident(repo, alice, st, inc, NULL, NULL, &res, &err), 0);
	CHECK(res.committed);
	CHECK_STR(res.slug, "states");
	/* Changed by plain git, not committed. */
	CHECK_INT(sh("echo edited >>'%s/cases/states/README.md'", repo), 0);
	annotations_set_note(st, inc, NULL, alice, "more", &err);
	CHECK_INT(commit_case(repo, st, inc, alice, &res, &msgs, 0), ALIBI_EUSAGE);
	CHECK(strstr(msgs.text, "uncommitted") != NULL);
	CHECK(strstr(msgs.text, "cases/states/README.md") != NULL);
	CHECK_INT(sh("git -C '%s' checkout -q -- .", repo), 0);
	/* Detached HEAD. */
	CHECK_INT(sh("git -C '%s' checkout -q --detach", repo), 0);
	CHECK_INT(commit_case(repo, st, inc, alice, &res, &msgs, 0), ALIBI_EUSAGE);
	CHECK(strstr(msgs.text, "detached HEAD") != NULL);
	CHECK_INT(sh("git -C '%s' checkout -q main", repo), 0);
	/* No remote. */
	struct cases *c = NULL;
	cases_repo_open(repo, &c, &err);
	CHECK_INT(cases_push(c, NULL, NULL, &err), ALIBI_ENOTFOUND);
	CHECK(strstr(err.msg, "no remote 'origin'") != NULL);
	struct cases_pull_result pr;
	CHECK_INT(cases_pull(c, NULL, "upstream", NULL, NULL, &pr, &err), ALIBI_ENOTFOUND);
	cases_repo_close(c);
	store_close(st);
}

/* ---- two reviewers ---- */

struct reviewer {
	char repo[700];
	struct store *st;
	int64_t inc;
	const char *who;
};

static int
push(struct reviewer *r, struct alibi_error *err)
{
	struct cases *c = NULL;
	int rc = cases_repo_open(r->repo, &c, err);
	if (rc == 0)
		rc = cases_push(c, NULL, NULL, err);
	cases_repo_close(c);
	return rc;
}

static int
pull(struct reviewer *r, struct cases_pull_result *pr, struct messages *msgs,
     struct alibi_error *err)
{
	struct cases *c = NULL;
	struct case_identity id;
	identity(&id, r->who);
	struct cases_report rep = { msgs, on_warn, on_message };
	int rc = cases_repo_open(r->repo, &c, err);
	if (rc == 0)
		rc = cases_pull(c, r->st, NULL, &id, &rep, pr, err);
	cases_repo_close(c);
	return rc;
}

static int
count_notes(struct reviewer *r)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "ls '%s/cases/shared/notes' | grep -c '\\.json$'", r->repo);
	FILE *p = popen(cmd, "r");
	int n = -1;
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

struct note_count {
	int count;
	int alice, bob;
};

static int
count_annotation(void *ctx, const struct annotation *a)
{
	struct note_count *n = ctx;
	n->count++;
	n->alice += strcmp(a->author, alice) == 0;
	n->bob += strcmp(a->author, bob) == 0;
	return 0;
}

static void
annotate_and_commit(struct reviewer *r, const char *note)
{
	struct alibi_error err = { 0 };
	annotations_set_note(r->st, r->inc, KEY, r->who, note, &err);
	annotations_set_verdict(r->st, r->inc, KEY, r->who, ANNOTATION_CONFIRMED, &err);
	struct cases_commit_result res;
	struct messages msgs = { "", 0 };
	if (commit_case(r->repo, r->st, r->inc, r->who, &res, &msgs, 0))
		printf("# commit: %s\n", msgs.text);
}

static void
test_two_reviewers_share_a_case(void)
{
	if (!have_git()) {
		SKIP("git is not installed");
		return;
	}
	char dir[512], bare[600];
	snprintf(dir, sizeof dir, "%s/team", top);
	mkdir(dir, 0777);
	snprintf(bare, sizeof bare, "%s/shared.git", dir);
	CHECK_INT(sh("git init -q --bare '%s'", bare), 0);
	struct alibi_error err = { 0 };
	struct reviewer a = { "", NULL, 0, alice }, b = { "", NULL, 0, bob };
	snprintf(a.repo, sizeof a.repo, "%s/alice-cases", dir);
	snprintf(b.repo, sizeof b.repo, "%s/bob-cases", dir);
	char url[700];
	snprintf(url, sizeof url, "file://%s", bare);
	CHECK_INT(cases_init(a.repo, url, NULL, &err), 0);
	CHECK_INT(cases_init(b.repo, bare, NULL, &err), 0);   /* a plain path works too */
	a.st = workspace(dir, "a", "shared", "said deleted, was renamed", &a.inc);
	b.st = workspace(dir, "b", "shared", "said deleted, was renamed", &b.inc);
	struct cases_pull_result pr;
	struct messages msgs = { "", 0 };
	CHECK_INT(pull(&b, &pr, &msgs, &err), 0);        /* empty remote */
	CHECK(pr.up_to_date);
	CHECK(strstr(msgs.text, "nothing to pull") != NULL);
	/* Alice starts the case and pushes it; Bob pulls it. */
	annotate_and_commit(&a, "first look: renamed, not deleted");
	CHECK_INT(push(&a, &err), 0);
	CHECK_INT(pull(&b, &pr, &msgs, &err), 0);
	CHECK(pr.fast_forward);
	CHECK_INT(pr.notes_new, 1);
	CHECK_INT(pr.notes_imported, 1);
	/* Round 1: both annotate the same finding; Alice pushes first. */
	annotate_and_commit(&a, "Alice: the copy went to /backup");
	annotate_and_commit(&b, "Bob: agreed, and the report is false");
	CHECK_INT(push(&a, &err), 0);
	CHECK_INT(push(&b, &err), ALIBI_EUSAGE);
	CHECK(strstr(err.msg, "alibi case pull") != NULL);
	memset(&msgs, 0, sizeof msgs);
	CHECK_INT(pull(&b, &pr, &msgs, &err), 0);
	CHECK(pr.merged);
	CHECK_INT(pr.conflicts, 0);
	CHECK_INT(msgs.warnings, 0);
	CHECK_INT(push(&b, &err), 0);
	CHECK_INT(pull(&a, &pr, &msgs, &err), 0);
	CHECK(pr.fast_forward);
	CHECK_INT(count_notes(&a), 2);
	CHECK_INT(count_notes(&b), 2);
	/* Round 2, the other order: Bob pushes first. */
	annotate_and_commit(&a, "Alice: second thoughts");
	annotate_and_commit(&b, "Bob: more evidence in the trace");
	CHECK_INT(push(&b, &err), 0);
	CHECK_INT(push(&a, &err), ALIBI_EUSAGE);
	CHECK_INT(pull(&a, &pr, &msgs, &err), 0);
	CHECK(pr.merged);
	CHECK_INT(pr.conflicts, 0);
	CHECK_INT(push(&a, &err), 0);
	CHECK_INT(pull(&b, &pr, &msgs, &err), 0);
	/* Both sides hold both notes, in the repository and the workspace. */
	char *ra = slurp("%s/cases/shared/README.md", a.repo);
	char *rb = slurp("%s/cases/shared/README.md", b.repo);
	CHECK(strstr(ra, "Alice: second thoughts") != NULL);
	CHECK(strstr(ra, "Bob: more evidence in the trace") != NULL);
	CHECK_STR(ra, rb);
	free(ra);
	free(rb);
	struct note_count na = { 0, 0, 0 }, nb = { 0, 0, 0 };
	annotations_each(a.st, a.inc, ANNOTATIONS_ALL, NULL, count_annotation, &na, &err);
	annotations_each(b.st, b.inc, ANNOTATIONS_ALL, NULL, count_annotation, &nb, &err);
	CHECK_INT(na.alice, 1);
	CHECK_INT(na.bob, 1);
	CHECK_INT(nb.alice, 1);
	CHECK_INT(nb.bob, 1);
	struct annotation got;
	int found;
	annotations_get(b.st, b.inc, KEY, alice, &got, &found, &err);
	CHECK_STR(got.note, "Alice: second thoughts");
	annotation_clear(&got);
	CHECK_INT(sh("test -z \"$(git -C '%s' status --porcelain)\"", a.repo), 0);
	CHECK_INT(sh("test -z \"$(git -C '%s' status --porcelain)\"", b.repo), 0);
	CHECK_INT(sh("test \"$(git -C '%s' rev-parse HEAD)\" = \"$(git -C '%s' rev-parse HEAD)\"",
	             a.repo, b.repo), 0);

	/* A real conflict: both change case.json (here, the finding's text,
	 * as two versions of the rules might word it). */
	store_close(a.st);
	store_close(b.st);
	char db[600];
	snprintf(db, sizeof db, "%s/a.db", dir);
	unlink(db);
	snprintf(db, sizeof db, "%s/b.db", dir);
	unlink(db);
	a.st = workspace(dir, "a", "shared", "Alice's analysis words it like this", &a.inc);
	b.st = workspace(dir, "b", "shared", "Bob's analysis words it differently", &b.inc);
	annotations_set_note(a.st, a.inc, NULL, alice, "incident note", &err);
	struct cases_commit_result res;
	CHECK_INT(commit_case(a.repo, a.st, a.inc, alice, &res, &msgs, 0), 0);
	CHECK_INT(push(&a, &err), 0);
	annotations_set_note(b.st, b.inc, NULL, bob, "bob's incident note", &err);
	CHECK_INT(commit_case(b.repo, b.st, b.inc, bob, &res, &msgs, 0), 0);
	memset(&msgs, 0, sizeof msgs);
	CHECK_INT(pull(&b, &pr, &msgs, &err), 0);
	CHECK_INT(pr.conflicts, 1);
	CHECK(strstr(msgs.text, "conflict in cases/shared/case.json") != NULL);
	char *ours = slurp("%s/cases/shared/case.json", b.repo);
	CHECK(strstr(ours, "Bob's analysis") != NULL);
	free(ours);
	CHECK_INT(sh("grep -l \"Alice's analysis\" '%s'/cases/shared/case.json.theirs-* >/dev/null",
	             b.repo), 0);
	/* The notes of both, still all there. */
	CHECK_INT(count_notes(&b), 4);
	CHECK_INT(sh("test -z \"$(git -C '%s' status --porcelain)\"", b.repo), 0);
	CHECK_INT(sh("git -C '%s' log -1 --format=%%B | grep -q 'both versions are kept'", b.repo), 0);

	/* A case.json broken by hand merges cleanly line by line; it is then
	 * treated as a conflict: ours stays, theirs is put aside. */
	CHECK_INT(push(&b, &err), 0);
	CHECK_INT(pull(&a, &pr, &msgs, &err), 0);
	CHECK_INT(sh("cd '%s' && echo '{ broken' >cases/shared/case.json && git -c user.name=B"
	             " -c user.email=b@x commit -qam 'break it'", b.repo), 0);
	CHECK_INT(push(&b, &err), 0);
	annotations_set_note(a.st, a.inc, NULL, alice, "incident note, again", &err);
	CHECK_INT(commit_case(a.repo, a.st, a.inc, alice, &res, &msgs, 0), 0);
	memset(&msgs, 0, sizeof msgs);
	CHECK_INT(pull(&a, &pr, &msgs, &err), 0);
	CHECK(pr.merged);
	CHECK_INT(pr.conflicts, 1);
	char *cj = slurp("%s/cases/shared/case.json", a.repo);
	CHECK(strstr(cj, "\"format\":\t\"alibi-case\"") != NULL);
	free(cj);
	CHECK_INT(sh("grep -q broken '%s'/cases/shared/case.json.theirs-*", a.repo), 0);
	store_close(a.st);
	store_close(b.st);
}

struct log_seen {
	int n;
	char subject[200];
	char author[100];
};

static int
log_cb(void *ctx, const struct cases_log_entry *e)
{
	struct log_seen *seen = ctx;
	if (seen->n++ == 0) {
		snprintf(seen->subject, sizeof seen->subject, "%s", e->subject);
		snprintf(seen->author, sizeof seen->author, "%s", e->author);
	}
	return 0;
}

static int
list_cb(void *ctx, const struct cases_list_entry *e)
{
	int *count = ctx;
	if (strcmp(e->slug, "peer-test") == 0 && e->findings == 1 && e->notes == 2 &&
	    e->verdicts[ANNOTATION_UNCLEAR] == 1 && strcmp(e->status, "reviewed") == 0)
		++*count;
	return 0;
}

static void
test_log_and_list(void)
{
	if (!have_git()) {
		SKIP("git is not installed");
		return;
	}
	char repo[600];
	snprintf(repo, sizeof repo, "%s/commit/cases", top);
	struct alibi_error err = { 0 };
	struct cases *c = NULL;
	if (cases_repo_open(repo, &c, &err)) {
		SKIP("no repository from the commit test");
		return;
	}
	struct log_seen seen = { 0, "", "" };
	CHECK_INT(cases_log(c, "peer-test", 0, log_cb, &seen, &err), 0);
	CHECK_INT(seen.n, 2);
	CHECK_STR(seen.author, "Alice");
	CHECK(strstr(seen.subject, "peer-test: 0 confirmed, 0 dismissed, 1 unclear") != NULL);
	seen.n = 0;
	CHECK_INT(cases_log(c, "no-such-case", 0, log_cb, &seen, &err), 0);
	CHECK_INT(seen.n, 0);
	CHECK_INT(cases_log(c, "../x", 0, log_cb, &seen, &err), ALIBI_EUSAGE);
	int count = 0;
	CHECK_INT(cases_list(c, list_cb, &count, &err), 0);
	CHECK_INT(count, 1);
	cases_repo_close(c);
}

int
main(void)
{
	if (!unit_tmpdir(top, sizeof top)) {
		printf("not ok - no temporary directory\n");
		return 1;
	}
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	RUN(test_init_and_adopt);
	RUN(test_identity);
	RUN(test_commit_writes_the_layout);
	RUN(test_evidence_cap_and_missing_source);
	RUN(test_slugs_and_symlinks_never_escape);
	RUN(test_bad_repository_states);
	RUN(test_two_reviewers_share_a_case);
	RUN(test_log_and_list);
	sh("rm -rf '%s'", top);
	return unit_done();
}
