/* t_claim_scans.c — claims found ahead of analysis: the queue an import
 * fills with the messages it stores, worked on by a thread of the
 * caller's, and what analysis takes from it.  A message is taken only
 * with its own row, text, kind and the rules it will be analysed with,
 * once; whatever is not taken is scanned by analysis as before, with the
 * same claims either way. */
#include <pthread.h>
#include <unistd.h>

#include "unit.h"
#include "alibi/import.h"
#include "../../src/analyze/analyze_internal.h"

#include "rules_fixture.h"

struct worker {
	struct claim_scans *s;
	const struct rules *r;
	pthread_t thread;
};

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	claim_scans_work(w->s, w->r);
	return NULL;
}

static void
worker_start(struct worker *w, struct claim_scans *s, const struct rules *r)
{
	w->s = s;
	w->r = r;
	CHECK_INT(pthread_create(&w->thread, NULL, worker_main, w), 0);
}

static void
worker_stop(struct worker *w)
{
	claim_scans_finish(w->s);
	pthread_join(w->thread, NULL);
}

static void
add(struct claim_scans *s, int64_t row, const char *role, const char *text)
{
	struct alibi_message m = { .ts = 0, .role = role, .text = text, .line = 1 };
	claim_scans_add_message(s, row, &m);
}

static void
test_found_by_row_text_kind_and_rules(void)
{
	static const char said[] = "I deleted /srv/models/agent2 as requested.";
	static const char asked[] = "Please delete /srv/models/agent2.";
	struct claim_scans *s = claim_scans_new();
	add(s, 5, "assistant", said);
	add(s, 6, "user", asked);
	add(s, 7, "tool", "rm: removed '/srv/models/agent2'");   /* not scanned */
	add(s, 8, "developer", asked);
	/* nothing is given out before the worker has its rules */
	CHECK(claim_scans_find(s, rules, 5, 0, said) == CLAIM_SCANS_NONE);
	struct worker w;
	worker_start(&w, s, rules);
	struct rules *other = NULL;
	struct alibi_error err = { 0 };
	CHECK_INT(rules_load_default(&other, &err), 0);
	CHECK(claim_scans_find(s, other, 5, 0, said) == CLAIM_SCANS_NONE);
	rules_free(other);
	/* the worker takes its rules when it starts */
	int instructions;
	size_t i5 = CLAIM_SCANS_NONE;
	for (int tries = 0; tries < 1000 && i5 == CLAIM_SCANS_NONE; tries++) {
		i5 = claim_scans_find(s, rules, 5, 0, said);
		if (i5 == CLAIM_SCANS_NONE)
			usleep(1000);
	}
	CHECK(i5 != CLAIM_SCANS_NONE);
	CHECK(claim_scans_find(s, rules, 5, 0, said) == CLAIM_SCANS_NONE);   /* once */
	CHECK(claim_scans_find(s, rules, 6, 0, asked) == CLAIM_SCANS_NONE);  /* kind */
	CHECK(claim_scans_find(s, rules, 6, 1, "Please delete /srv/models/agent3.") ==
	      CLAIM_SCANS_NONE);                                              /* text */
	CHECK(claim_scans_find(s, rules, 7, 0, "rm: removed '/srv/models/agent2'") ==
	      CLAIM_SCANS_NONE);
	CHECK(claim_scans_find(s, rules, 9, 0, said) == CLAIM_SCANS_NONE);   /* row */
	size_t i6 = claim_scans_find(s, rules, 6, 1, asked);
	size_t i8 = claim_scans_find(s, rules, 8, 1, asked);
	CHECK(i6 != CLAIM_SCANS_NONE && i8 != CLAIM_SCANS_NONE && i6 != i8);

	/* what is taken is what scanning on the spot finds */
	struct claim_hits got = { 0 }, want = { 0 };
	claim_scans_take(s, rules, i5, &got, &instructions);
	CHECK_INT(instructions, 0);
	claims_scan(rules, 0, said, strlen(said), &want);
	CHECK(want.count > 0);
	size_t want_count = want.count;
	CHECK_INT((long long)got.count, (long long)want.count);
	for (size_t k = 0; k < got.count && k < want.count; k++) {
		CHECK_INT(got.items[k].start, want.items[k].start);
		CHECK_INT(got.items[k].end, want.items[k].end);
		CHECK_STR(got.items[k].rule->name, want.items[k].rule->name);
	}
	claim_hits_free(&got);
	claim_hits_free(&want);
	claim_scans_take(s, rules, i6, &got, &instructions);
	CHECK_INT(instructions, 1);
	CHECK(got.count > 0);
	claim_hits_free(&got);

	/* a row stored again (its first file rolled back) is the newer text */
	static const char again[] = "I copied /srv/models/agent2 to backup-host.";
	add(s, 5, "assistant", again);
	CHECK(claim_scans_find(s, rules, 5, 0, said) == CLAIM_SCANS_NONE);
	size_t i5b = claim_scans_find(s, rules, 5, 0, again);
	CHECK(i5b != CLAIM_SCANS_NONE);

	/* the jobs stay while one has not been taken (row 9's) ... */
	claim_scans_take(s, rules, i8, &got, &instructions);
	claim_hits_free(&got);
	claim_scans_take(s, rules, i5b, &got, &instructions);
	claim_hits_free(&got);
	add(s, 9, "assistant", said);
	claim_scans_forget_taken(s);
	size_t i9 = claim_scans_find(s, rules, 9, 0, said);
	CHECK(i9 != CLAIM_SCANS_NONE);
	CHECK_INT((long long)i9, 4);
	claim_scans_take(s, rules, i9, &got, &instructions);
	CHECK(got.count == want_count);
	claim_hits_free(&got);
	claim_scans_forget_taken(s);
	add(s, 10, "assistant", said);
	CHECK_INT((long long)claim_scans_find(s, rules, 10, 0, said), 0);   /* the first again */
	/* ... and go once every one has been taken */
	struct claim_scans *all = claim_scans_new();
	struct worker w2;
	worker_start(&w2, all, rules);
	add(all, 11, "assistant", said);
	add(all, 12, "user", asked);
	size_t i11 = CLAIM_SCANS_NONE;
	for (int tries = 0; tries < 1000 && i11 == CLAIM_SCANS_NONE; tries++) {
		i11 = claim_scans_find(all, rules, 11, 0, said);
		if (i11 == CLAIM_SCANS_NONE)
			usleep(1000);
	}
	size_t i12 = claim_scans_find(all, rules, 12, 1, asked);
	CHECK(i11 != CLAIM_SCANS_NONE && i12 != CLAIM_SCANS_NONE);
	claim_scans_take(all, rules, i11, &got, &instructions);
	claim_hits_free(&got);
	claim_scans_take(all, rules, i12, &got, &instructions);
	claim_hits_free(&got);
	claim_scans_forget_taken(all);
	add(all, 11, "assistant", said);   /* queued anew after the forgetting */
	size_t again11 = CLAIM_SCANS_NONE;
	for (int tries = 0; tries < 1000 && again11 == CLAIM_SCANS_NONE; tries++)
		again11 = claim_scans_find(all, rules, 11, 0, said);
	CHECK_INT((long long)again11, 0);
	claim_scans_take(all, rules, again11, &got, &instructions);
	CHECK(got.count == want_count);
	claim_hits_free(&got);
	worker_stop(&w2);
	claim_scans_free(all);
	worker_stop(&w);
	/* once finished (the rules did not compile, or the run is over),
	 * nothing more is queued */
	add(s, 21, "assistant", said);
	CHECK(claim_scans_find(s, rules, 21, 0, said) == CLAIM_SCANS_NONE);
	claim_scans_free(s);
}

/* ---- analysis of an imported sample, with and without the queue ---- */

struct claims_text {
	struct strbuf sb;
};

static int
on_claim(void *ctx, const struct store_claim_row *r)
{
	struct claims_text *t = ctx;
	sb_addf(&t->sb, "%lld %d-%d %s %s [%s] %d\n", (long long)r->c.message, r->c.start,
	        r->c.end, r->c.rule, r->c.verb ? r->c.verb : "-", r->c.text, r->c.negated);
	return 0;
}

struct stored {
	struct claim_scans *ahead;
	int64_t rows[256];
	const char *roles[256];
	char *texts[256];
	size_t count;
};

static void
on_stored(void *ctx, int64_t id, const struct alibi_message *m)
{
	struct stored *st = ctx;
	claim_scans_add_message(st->ahead, id, m);
	if (st->count < 256 && strcmp(m->role, "assistant") == 0) {
		st->rows[st->count] = id;
		st->texts[st->count] = strdup(m->text ? m->text : "");
		st->count++;
	}
}

/* Imports the sample dir into a memory workspace and analyses it; the
 * claims stored, as text.  ahead: the queue the import fills and
 * analysis is given (or only filled, when give is 0). */
static char *
import_and_claims(const char *dir, struct stored *stored, int give, int64_t decoy_row)
{
	struct alibi_error err = { 0 };
	struct store *st = NULL;
	CHECK_INT(store_open(":memory:", STORE_CREATE, &st, &err), 0);
	struct import_report report = { stored, NULL, NULL, stored ? on_stored : NULL };
	struct import_result res;
	struct import_options opt = { "scans", NULL, 0 };
	const char *paths[] = { dir };
	struct worker w;
	if (stored)
		worker_start(&w, stored->ahead, rules);
	int imported = import_paths(st, paths, 1, &opt, &report, &res, &err) == 0;
	CHECK(imported);
	CHECK_INT(imported ? (long long)res.incident_count : 0, 1);
	if (!imported || res.incident_count != 1) {
		if (stored)
			worker_stop(&w);
		if (imported)
			import_result_free(&res);
		store_close(st);
		return strdup("(not imported)");
	}
	if (stored && decoy_row)   /* the row given to another text since */
		add(stored->ahead, decoy_row, "assistant", "I deleted /etc/passwd.");
	struct analyze_options aopt = { 0 };
	aopt.ahead = stored && give ? stored->ahead : NULL;
	struct analyze_summary sum;
	CHECK_INT(analyze_incident(st, res.incidents[0], rules, &aopt, &sum, &err), 0);
	struct claims_text t = { STRBUF_INIT };
	CHECK_INT(store_each_claim(st, res.incidents[0], on_claim, &t, &err), 0);
	if (stored)
		worker_stop(&w);
	import_result_free(&res);
	store_close(st);
	return sb_detach(&t.sb);
}

static void
test_analysis_takes_what_was_found(void)
{
	char dir[1024];
	const char *top = getenv("ALIBI_TOP");
	if (top && *top)
		snprintf(dir, sizeof dir, "%s/sample-logs/peer-preservation", top);
	else
		unit_data("../../sample-logs/peer-preservation", dir, sizeof dir);
	char *alone = import_and_claims(dir, NULL, 0, 0);
	CHECK(strstr(alone, "report.") != NULL);
	if (!strstr(alone, "report.")) {
		free(alone);
		return;
	}

	struct stored given = { .ahead = claim_scans_new() };
	char *with = import_and_claims(dir, &given, 1, 0);
	CHECK_STR(with, alone);
	CHECK(given.count > 1);
	/* analysis took every assistant message from the queue */
	for (size_t i = 0; i < given.count; i++)
		CHECK(claim_scans_find(given.ahead, rules, given.rows[i], 0, given.texts[i]) ==
		      CLAIM_SCANS_NONE);

	struct stored kept = { .ahead = claim_scans_new() };
	char *without = import_and_claims(dir, &kept, 0, 0);
	CHECK_STR(without, alone);
	/* a queue not given is left as it was */
	for (size_t i = 0; i < kept.count; i++)
		CHECK(claim_scans_find(kept.ahead, rules, kept.rows[i], 0, kept.texts[i]) !=
		      CLAIM_SCANS_NONE);

	/* a row whose queued text is not the stored one is scanned anew */
	struct stored decoy = { .ahead = claim_scans_new() };
	int64_t last = given.count ? given.rows[given.count - 1] : 1;
	char *rescanned = import_and_claims(dir, &decoy, 1, last);
	CHECK_STR(rescanned, alone);
	CHECK(strstr(rescanned, "/etc/passwd") == NULL);

	struct stored *all[] = { &given, &kept, &decoy };
	for (size_t k = 0; k < 3; k++) {
		for (size_t i = 0; i < all[k]->count; i++)
			free(all[k]->texts[i]);
		claim_scans_free(all[k]->ahead);
	}
	free(alone);
	free(with);
	free(without);
	free(rescanned);
}

int
main(void)
{
	if (load_default_rules())
		return 1;
	RUN(test_found_by_row_text_kind_and_rules);
	RUN(test_analysis_takes_what_was_found);
	rules_free(rules);
	return unit_done();
}
