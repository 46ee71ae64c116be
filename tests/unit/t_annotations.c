/* t_annotations.c — verdicts, notes and tags in the workspace. */
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "unit.h"
#include "alibi/annotations.h"
#include "alibi/store.h"

static const char *alice = "Alice Reviewer <alice@example.com>";
static const char *bob = "Bob <bob@example.com>";

/* A workspace with one incident and one finding (key "a1b2c3d4e5f60718"). */
static struct store *
workspace(const char *path, int64_t *incident)
{
	struct alibi_error err = { 0 };
	struct store *st = NULL;
	if (store_open(path, STORE_CREATE, &st, &err)) {
		printf("# %s\n", err.msg);
		return NULL;
	}
	store_incident_ensure(st, "demo", "Demo incident", incident, NULL, &err);
	struct store_finding f = { "false-report", ALIBI_SEV_HIGH, 0.9, "said deleted, was copied",
	                           "the log shows a copy", "r1", "a1b2c3d4e5f60718" };
	int64_t fid;
	store_add_finding(st, *incident, &f, &fid, &err);
	return st;
}

static void
test_verdict_names(void)
{
	CHECK_STR(annotation_verdict_name(ANNOTATION_CONFIRMED), "confirmed");
	CHECK_STR(annotation_verdict_name(ANNOTATION_NONE), "none");
	CHECK_INT(annotation_verdict_from_name("dismissed"), ANNOTATION_DISMISSED);
	CHECK_INT(annotation_verdict_from_name("c"), ANNOTATION_CONFIRMED);
	CHECK_INT(annotation_verdict_from_name("unc"), ANNOTATION_UNCLEAR);
	CHECK_INT(annotation_verdict_from_name("none"), ANNOTATION_NONE);
	CHECK_INT(annotation_verdict_from_name("maybe"), -1);
	CHECK_INT(annotation_verdict_from_name(""), -1);
}

static void
test_uid_and_author(void)
{
	char a[37], b[37];
	annotation_new_uid(a);
	annotation_new_uid(b);
	CHECK(annotation_uid_is_valid(a));
	CHECK(strcmp(a, b) != 0);
	CHECK_INT(a[14], '4');
	CHECK(!annotation_uid_is_valid("../../etc/passwd"));
	CHECK(!annotation_uid_is_valid("A1B2C3D4-0000-4000-8000-000000000000"));
	CHECK(annotation_author_is_valid(alice));
	CHECK(!annotation_author_is_valid("alice"));
	CHECK(!annotation_author_is_valid("<a@b>"));
	CHECK(!annotation_author_is_valid("Eve <e@x>\n"));
	CHECK(!annotation_author_is_valid("Eve <e@x> trailing"));
}

static void
test_tags_normalised(void)
{
	struct alibi_error err = { 0 };
	char *out = NULL;
	CHECK_INT(annotation_normalize_tags("b, a,,a  c", &out, &err), 0);
	CHECK_STR(out, "a,b,c");
	free(out);
	CHECK_INT(annotation_normalize_tags("", &out, &err), 0);
	CHECK_STR(out, "");
	free(out);
	CHECK(annotation_normalize_tags("ok,this-tag-is-far-too-long-to-be-a-tag-of-anyone",
	                                &out, &err) != 0);
	CHECK(out == NULL);
	CHECK(annotation_normalize_tags("bad\x1b[31m", &out, &err) != 0);
}

struct collected {
	int count;
	char uid[5][37];
	char key[5][64];
	char author[5][128];
	char verdict[5][16];
};

static int
collect(void *ctx, const struct annotation *a)
{
	struct collected *c = ctx;
	if (c->count < 5) {
		snprintf(c->uid[c->count], 37, "%s", a->uid);
		snprintf(c->key[c->count], 64, "%s", a->finding_key ? a->finding_key : "-");
		snprintf(c->author[c->count], 128, "%s", a->author);
		snprintf(c->verdict[c->count], 16, "%s", annotation_verdict_name(a->verdict));
	}
	c->count++;
	return 0;
}

static void
test_setters_update_one_annotation(void)
{
	int64_t inc;
	struct store *st = workspace(":memory:", &inc);
	struct alibi_error err = { 0 };
	const char *key = "a1b2c3d4e5f60718";
	CHECK_INT(annotations_set_verdict(st, inc, key, alice, ANNOTATION_CONFIRMED, &err), 0);
	CHECK_INT(annotations_set_note(st, inc, key, alice, "copied to backup:/srv", &err), 0);
	CHECK_INT(annotations_set_tags(st, inc, key, alice, "weights, exfil", &err), 0);
	CHECK_INT(annotations_add_tags(st, inc, key, alice, "urgent", 0, &err), 0);
	CHECK_INT(annotations_add_tags(st, inc, key, alice, "exfil", 1, &err), 0);
	CHECK_INT(annotations_set_verdict(st, inc, NULL, alice, ANNOTATION_UNCLEAR, &err), 0);
	struct annotation a;
	int found = 0;
	CHECK_INT(annotations_get(st, inc, key, alice, &a, &found, &err), 0);
	CHECK(found);
	CHECK_INT(a.verdict, ANNOTATION_CONFIRMED);
	CHECK_STR(a.note, "copied to backup:/srv");
	CHECK_STR(a.tags, "urgent,weights");
	CHECK_STR(a.author, alice);
	CHECK(a.committed_in == NULL);
	CHECK(annotation_uid_is_valid(a.uid));
	CHECK(a.updated_at >= a.created_at && a.created_at > 0);
	annotation_clear(&a);
	struct collected c = { 0 };
	CHECK_INT(annotations_each(st, inc, ANNOTATIONS_ALL, NULL, collect, &c, &err), 0);
	CHECK_INT(c.count, 2);
	CHECK_STR(c.key[1], "-");
	CHECK_STR(c.verdict[1], "unclear");
	memset(&c, 0, sizeof c);
	annotations_each(st, inc, ANNOTATIONS_INCIDENT_ONLY, NULL, collect, &c, &err);
	CHECK_INT(c.count, 1);
	/* Clearing a verdict. */
	CHECK_INT(annotations_set_verdict(st, inc, key, alice, ANNOTATION_NONE, &err), 0);
	enum annotation_verdict v;
	CHECK_INT(annotations_verdict(st, inc, key, &v, &err), 0);
	CHECK_INT(v, ANNOTATION_NONE);
	store_close(st);
}

static void
test_bad_input_refused(void)
{
	int64_t inc;
	struct store *st = workspace(":memory:", &inc);
	struct alibi_error err = { 0 };
	CHECK_INT(annotations_set_note(st, inc, NULL, "nobody", "x", &err), ALIBI_EUSAGE);
	CHECK_INT(annotations_set_note(st, 0, NULL, alice, "x", &err), ALIBI_EUSAGE);
	CHECK_INT(annotations_set_note(st, inc, "../../x", alice, "x", &err), ALIBI_EUSAGE);
	char *big = malloc(ANNOTATION_NOTE_MAX + 2);
	memset(big, 'x', ANNOTATION_NOTE_MAX + 1);
	big[ANNOTATION_NOTE_MAX + 1] = '\0';
	CHECK_INT(annotations_set_note(st, inc, NULL, alice, big, &err), ALIBI_EUSAGE);
	free(big);
	/* Invalid UTF-8 is stored replaced, never as it came. */
	CHECK_INT(annotations_set_note(st, inc, NULL, alice, "bad \xff byte", &err), 0);
	struct annotation a;
	int found;
	annotations_get(st, inc, NULL, alice, &a, &found, &err);
	CHECK_STR(a.note, "bad \xef\xbf\xbd byte");
	annotation_clear(&a);
	store_close(st);
}

static void
test_latest_verdict_wins_and_survives_reanalysis(void)
{
	int64_t inc;
	struct store *st = workspace(":memory:", &inc);
	struct alibi_error err = { 0 };
	const char *key = "a1b2c3d4e5f60718";
	annotations_set_verdict(st, inc, key, alice, ANNOTATION_CONFIRMED, &err);
	usleep(2000);
	annotations_set_verdict(st, inc, key, bob, ANNOTATION_DISMISSED, &err);
	enum annotation_verdict v;
	annotations_verdict(st, inc, key, &v, &err);
	CHECK_INT(v, ANNOTATION_DISMISSED);
	/* Re-analysis deletes and re-creates findings; the stable key keeps
	 * the annotations attached. */
	CHECK_INT(store_clear_analysis(st, inc, &err), 0);
	struct store_finding f = { "false-report", ALIBI_SEV_HIGH, 0.9, "again", "again", "r1",
	                           "a1b2c3d4e5f60718" };
	int64_t fid;
	CHECK_INT(store_add_finding(st, inc, &f, &fid, &err), 0);
	annotations_verdict(st, inc, key, &v, &err);
	CHECK_INT(v, ANNOTATION_DISMISSED);
	struct collected c = { 0 };
	annotations_each(st, inc, ANNOTATIONS_FINDING, key, collect, &c, &err);
	CHECK_INT(c.count, 2);
	store_close(st);
}

static void
test_commit_marks(void)
{
	int64_t inc;
	struct store *st = workspace(":memory:", &inc);
	struct alibi_error err = { 0 };
	annotations_set_note(st, inc, NULL, alice, "first", &err);
	struct annotation a;
	int found;
	annotations_get(st, inc, NULL, alice, &a, &found, &err);
	/* A stale time does not mark: the change after it stays uncommitted. */
	CHECK_INT(annotations_mark_committed(st, a.uid, a.updated_at - 1, "deadbeef", &err), 0);
	struct collected c = { 0 };
	annotations_each(st, inc, ANNOTATIONS_UNCOMMITTED, NULL, collect, &c, &err);
	CHECK_INT(c.count, 1);
	CHECK_INT(annotations_mark_committed(st, a.uid, a.updated_at, "deadbeef", &err), 0);
	memset(&c, 0, sizeof c);
	annotations_each(st, inc, ANNOTATIONS_UNCOMMITTED, NULL, collect, &c, &err);
	CHECK_INT(c.count, 0);
	annotation_clear(&a);
	annotations_get(st, inc, NULL, alice, &a, &found, &err);
	CHECK_STR(a.committed_in, "deadbeef");
	annotation_clear(&a);
	/* Any change makes it uncommitted again. */
	annotations_set_tags(st, inc, NULL, alice, "x", &err);
	memset(&c, 0, sizeof c);
	annotations_each(st, inc, ANNOTATIONS_UNCOMMITTED, NULL, collect, &c, &err);
	CHECK_INT(c.count, 1);
	store_close(st);
}

static void
test_import_by_uid(void)
{
	int64_t inc;
	struct store *st = workspace(":memory:", &inc);
	struct alibi_error err = { 0 };
	struct annotation in = {
		.incident = inc, .uid = "0b7c5a3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d",
		.finding_key = "a1b2c3d4e5f60718", .author = bob, .verdict = ANNOTATION_UNCLEAR,
		.tags = "b,a", .note = "from bob", .created_at = 1000, .updated_at = 2000,
		.committed_in = "abc123",
	};
	int changed = 0;
	CHECK_INT(annotations_import(st, &in, &changed, &err), 0);
	CHECK(changed);
	CHECK_INT(annotations_import(st, &in, &changed, &err), 0);
	CHECK(!changed);   /* same again: nothing to do */
	in.note = "older";
	in.updated_at = 1500;
	annotations_import(st, &in, &changed, &err);
	CHECK(!changed);
	in.note = "newer";
	in.updated_at = 3000;
	annotations_import(st, &in, &changed, &err);
	CHECK(changed);
	struct annotation a;
	int found;
	annotations_get(st, inc, "a1b2c3d4e5f60718", bob, &a, &found, &err);
	CHECK_STR(a.note, "newer");
	CHECK_STR(a.tags, "a,b");
	CHECK_STR(a.uid, "0b7c5a3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d");
	CHECK_STR(a.committed_in, "abc123");
	annotation_clear(&a);
	/* A local change not yet committed is never overwritten. */
	annotations_set_note(st, inc, "a1b2c3d4e5f60718", bob, "local edit", &err);
	in.note = "remote";
	in.updated_at = INT64_MAX / 2;
	annotations_import(st, &in, &changed, &err);
	CHECK(!changed);
	/* Bad ids and authors from a file are refused. */
	in.uid = "../../evil";
	CHECK(annotations_import(st, &in, &changed, &err) != 0);
	in.uid = "0b7c5a3e-1d2f-4a6b-9c8d-7e6f5a4b3c2e";
	in.author = "nobody";
	CHECK(annotations_import(st, &in, &changed, &err) != 0);
	store_close(st);
}

static void
test_resolve_names(void)
{
	int64_t inc;
	struct store *st = workspace(":memory:", &inc);
	struct alibi_error err = { 0 };
	struct store_finding f = { "refusal", ALIBI_SEV_LOW, 1, "s", "b", "r2", "a1b2c3ffff000000" };
	int64_t fid;
	store_add_finding(st, inc, &f, &fid, &err);
	struct annotation_target t;
	CHECK_INT(annotations_resolve(st, "a1b2c3d4", 0, &t, &err), 0);
	CHECK(t.is_finding);
	CHECK_STR(t.finding_key, "a1b2c3d4e5f60718");
	CHECK_INT(t.incident, inc);
	CHECK_INT(annotations_resolve(st, "A1B2C3D4E5", 0, &t, &err), 0);
	CHECK_STR(t.finding_key, "a1b2c3d4e5f60718");
	CHECK_INT(annotations_resolve(st, "a1b2c3", 0, &t, &err), ALIBI_EUSAGE);
	CHECK(strstr(err.msg, "ambiguous") != NULL);
	CHECK_INT(annotations_resolve(st, "demo", 0, &t, &err), 0);
	CHECK(!t.is_finding);
	CHECK_INT(t.incident, inc);
	CHECK_INT(annotations_resolve(st, "1", 0, &t, &err), 0);
	CHECK_INT(t.incident, inc);
	CHECK_INT(annotations_resolve(st, "nothing", 0, &t, &err), ALIBI_ENOTFOUND);
	CHECK_INT(annotations_resolve(st, "a1b2c", 0, &t, &err), ALIBI_ENOTFOUND);  /* too short */
	store_close(st);
}

/* The annotation is in the file the moment the setter returns: a process
 * killed with SIGKILL right after, with the workspace still open, loses
 * nothing. */
static void
test_kill_9_right_after_saving(void)
{
	char dir[256], db[300];
	if (!unit_tmpdir(dir, sizeof dir)) {
		SKIP("no temporary directory");
		return;
	}
	snprintf(db, sizeof db, "%s/ws.db", dir);
	int64_t inc;
	struct store *st = workspace(db, &inc);
	store_close(st);
	int fds[2];
	CHECK_INT(pipe(fds), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct alibi_error err = { 0 };
		struct store *cst = NULL;
		if (store_open(db, 0, &cst, &err) ||
		    annotations_set_verdict(cst, inc, "a1b2c3d4e5f60718", alice, ANNOTATION_CONFIRMED, &err) ||
		    annotations_set_note(cst, inc, "a1b2c3d4e5f60718", alice, "saved before the kill", &err))
			_exit(1);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();   /* workspace still open when the kill comes */
	}
	char c = 0;
	CHECK_INT(read(fds[0], &c, 1), 1);
	kill(pid, SIGKILL);
	int status;
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(fds[0]);
	close(fds[1]);
	struct alibi_error err = { 0 };
	CHECK_INT(store_open(db, 0, &st, &err), 0);
	struct annotation a;
	int found = 0;
	CHECK_INT(annotations_get(st, inc, "a1b2c3d4e5f60718", alice, &a, &found, &err), 0);
	CHECK(found);
	CHECK_STR(a.note, "saved before the kill");
	CHECK_INT(a.verdict, ANNOTATION_CONFIRMED);
	annotation_clear(&a);
	store_close(st);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

/* A workspace whose annotations predate the uid column gets one, and its
 * old rows get ids. */
static void
test_uid_migration(void)
{
	char dir[256], db[300];
	if (!unit_tmpdir(dir, sizeof dir)) {
		SKIP("no temporary directory");
		return;
	}
	snprintf(db, sizeof db, "%s/ws.db", dir);
	int64_t inc;
	struct store *st = workspace(db, &inc);
	store_close(st);
	sqlite3 *raw = NULL;
	int has_uid = 0;
	CHECK_INT(sqlite3_open(db, &raw), SQLITE_OK);
	sqlite3_stmt *s = NULL;
	sqlite3_prepare_v2(raw, "SELECT count(*) FROM pragma_table_info('annotations')"
	                   " WHERE name = 'uid'", -1, &s, NULL);
	if (sqlite3_step(s) == SQLITE_ROW)
		has_uid = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	/* When the schema already has the column (once folded into the store's
	 * migrations) this just checks the old row gets an id either way. */
	CHECK_INT(sqlite3_exec(raw, "INSERT INTO annotations(incident, finding_key, author,"
	                       " verdict, tags, note, created_at, updated_at)"
	                       " VALUES (1, NULL, 'Old <old@example.com>', 'unclear', '', 'legacy',"
	                       " 1, 1)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	(void)has_uid;
	struct alibi_error err = { 0 };
	CHECK_INT(store_open(db, 0, &st, &err), 0);
	struct annotation a;
	int found = 0;
	CHECK_INT(annotations_get(st, inc, NULL, "Old <old@example.com>", &a, &found, &err), 0);
	CHECK(found);
	CHECK_STR(a.note, "legacy");
	if (!has_uid)
		CHECK(annotation_uid_is_valid(a.uid));
	annotation_clear(&a);
	store_close(st);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

int
main(void)
{
	RUN(test_verdict_names);
	RUN(test_uid_and_author);
	RUN(test_tags_normalised);
	RUN(test_setters_update_one_annotation);
	RUN(test_bad_input_refused);
	RUN(test_latest_verdict_wins_and_survives_reanalysis);
	RUN(test_commit_marks);
	RUN(test_import_by_uid);
	RUN(test_resolve_names);
	RUN(test_kill_9_right_after_saving);
	RUN(test_uid_migration);
	return unit_done();
}
