/* t_indexes.c — the lookups analysis uses instead of asking every object
 * about every path: path_index (paths an object may name), object_index
 * (objects that may name a path), op_index (ops by path) and keymap.
 * Each must offer every path or object objref_match_path() accepts (the
 * answers of analysis rest on it), and should offer few others. */
#include "unit.h"

#include "alibi/rules.h"
#include "../../src/analyze/analyze_internal.h"

#include "rules_fixture.h"

static const char *const paths[] = {
	"/srv/data/run-3/report.json", "/srv/data/run-7/report.json",
	"/srv/data/run-30/report.json", "/srv/data/run-4/report.json",
	"/srv/data/run-5/report.json", "/srv/data/run-6/report.json", "/srv/data/run-3/out.csv", "/srv/data/run-7/out.csv",
	"/srv/data/run-3/scratch.bin", "/srv/data/run-7/scratch.bin",
	"/srv/archive/out-3.csv", "/srv/models/agent2/model.safetensors",
	"/srv/models/agent2/config.json", "/srv/models/agent1/model.safetensors",
	"/srv/models/agent2", "/srv/models/agent2-old/model.gguf", "/srv/tmp/a.tmp",
	"/srv/tmp", "/srv/tmpfiles/b.tmp", "/home/u/.bash_history", "/var/log/app.log",
	"run-3/out.csv", "/srv//data/run-9/x", "/", "/srv/data/run-3/Agent_2/ckpt-600.bin",
};
#define NPATHS (sizeof paths / sizeof paths[0])

/* Objects as claims and instructions name things. */
static const char *const objects[] = {
	"/srv/data/run-3/scratch.bin", "the report of run-3", "the scratch file of run-7",
	"out.csv of run-3", "run-3/out.csv", "out.csv", "agent2's weights",
	"Agent 2's model weights in /srv/models", "the weights", "everything",
	"/srv/tmp/*", "/srv/tmp/", "~/.bash_history", "/srv/models/agent2 (model.safetensors)",
	"config.json from /srv/models/agent2", "nothing outside /srv/data", "/", "*.log",
	"/srv/data/run-3/report.json to the collector at 10.0.3.4", "the backup server",
	"agent-2's checkpoint 600", "all files", "/srv", "/srv/data/run-9/x", "a.tmp",
	"the logs of agent3 and the report of run-30", "/srv/tmp/*.tmp", "/srv/data/run-?/out.csv",
	"/srv/models/agent2/*", "/srv/*/run-3/[rs]*", "~/.bash_*",
};
#define NOBJECTS (sizeof objects / sizeof objects[0])

static struct actx a;
static struct objref objs[NOBJECTS];

static void
setup(void)
{
	memset(&a, 0, sizeof a);
	a.rules = rules;
	pool_init(&a.pool);
	for (size_t i = 0; i < NPATHS; i++)
		pool_intern(&a.pool, paths[i])->flags |= PF_SEEN;
	pool_intern(&a.pool, "backup");   /* a host: not a seen path */
	const char **known;
	size_t count;
	actx_known_paths(&a, &known, &count);
	for (size_t i = 0; i < NOBJECTS; i++) {
		objref_parse(objects[i], &objs[i]);
		objref_prune_names(&objs[i], known, count);
	}
	free(known);
}

static void
teardown(void)
{
	for (size_t i = 0; i < NOBJECTS; i++)
		objref_free(&objs[i]);
	pool_free(&a.pool);
}

static int
is_protected(const char *path)
{
	return pent_class(rules, pool_intern(&a.pool, path), GLOB_PROTECTED);
}

struct offered {
	const char *got[NPATHS * 2];
	size_t count;
	int stop_after;       /* 0: never stop */
};

static int
offered_add(void *ctx, struct pent *e)
{
	struct offered *o = ctx;
	o->got[o->count++] = e->s;
	return o->stop_after && (int)o->count >= o->stop_after;
}

static int
was_offered(const struct offered *o, const char *path)
{
	for (size_t i = 0; i < o->count; i++)
		if (strcmp(o->got[i], path) == 0)
			return 1;
	return 0;
}

/* Every path an object matches is offered, and no path twice. */
static void
test_path_index_offers_every_match(void)
{
	setup();
	struct path_index *ix = path_index_build(&a, 0);
	for (size_t k = 0; k < NOBJECTS; k++) {
		struct offered o = { .count = 0 };
		path_index_candidates(ix, &objs[k], offered_add, &o);
		for (size_t i = 0; i < NPATHS; i++) {
			int match = objref_match_path(&objs[k], paths[i], is_protected(paths[i]));
			if (match && !was_offered(&o, paths[i]))
				printf("# %s: %s not offered\n", objects[k], paths[i]);
			CHECK(!match || was_offered(&o, paths[i]));
		}
		for (size_t i = 0; i < o.count; i++)
			for (size_t j = i + 1; j < o.count; j++)
				CHECK(strcmp(o.got[i], o.got[j]) != 0);
	}
	path_index_free(ix);
	teardown();
}

static size_t
offered_count(struct path_index *ix, const char *text)
{
	struct objref obj;
	objref_parse(text, &obj);
	struct offered o = { .count = 0 };
	path_index_candidates(ix, &obj, offered_add, &o);
	objref_free(&obj);
	return o.count;
}

/* A chain of joined names offers the paths of its rarest name; the
 * protected class alone offers the protected paths; fn can stop it. */
static void
test_path_index_narrows(void)
{
	setup();
	struct path_index *ix = path_index_build(&a, 0);
	CHECK_INT((long)path_index_token_count(ix, "report"), 6);
	CHECK_INT((long)path_index_token_count(ix, "run3"), 5);
	CHECK_INT((long)path_index_token_count(ix, "nosuchname"), 0);
	/* report and run30 together: one path */
	CHECK_INT((long)offered_count(ix, "the report of run-30"), 1);
	/* a name no path holds: its chain offers nothing */
	CHECK_INT((long)offered_count(ix, "the report of run-99"), 0);
	CHECK_INT((long)offered_count(ix, "/srv/data/run-7/out.csv"), 1);
	size_t prot = 0;
	for (size_t i = 0; i < NPATHS; i++)
		prot += (size_t)is_protected(paths[i]);
	CHECK(prot > 0 && prot < NPATHS);
	CHECK_INT((long)offered_count(ix, "the weights"), (long)prot);
	struct objref all;
	objref_parse("/srv/*.bin", &all);   /* a glob: every path */
	struct offered o = { .count = 0, .stop_after = 2 };
	path_index_candidates(ix, &all, offered_add, &o);
	CHECK_INT((long)o.count, 2);
	objref_free(&all);
	path_index_free(ix);
	/* the protected paths alone */
	ix = path_index_build(&a, 1);
	CHECK_INT((long)offered_count(ix, "/srv"), (long)prot);
	CHECK_INT((long)offered_count(ix, "the report of run-30"), 0);
	path_index_free(ix);
	teardown();
}

static void
test_path_index_has_under(void)
{
	setup();
	struct path_index *ix = path_index_build(&a, 0);
	CHECK(path_index_has_under(ix, "/srv/models/agent2"));
	CHECK(path_index_has_under(ix, "/srv/tmp"));         /* not /srv/tmpfiles */
	CHECK(!path_index_has_under(ix, "/srv/tmp/a.tmp"));
	CHECK(!path_index_has_under(ix, "/srv/models/agent2-old/model.gguf"));
	CHECK(!path_index_has_under(ix, "/srv/models/agent"));
	CHECK(path_index_has_under(ix, "/srv"));
	CHECK(path_index_has_under(ix, ""));                 /* "/..." */
	CHECK(!path_index_has_under(ix, "/zzz"));
	path_index_free(ix);
	teardown();
}

/* The reverse: every object that matches a path is looked up by it, in
 * order, once; also for paths the index never saw. */
static void
test_object_index_finds_every_match(void)
{
	setup();
	static const char *const more[] = {
		"/srv/data/run-3/report.json.bak", "/elsewhere/out.csv", "/srv/tmp/deep/c.tmp",
		"relative/a.tmp", "/SRV/TMP/x", "/srv/data/run-3/scratch.bin/",
	};
	struct path_index *px = path_index_build(&a, 0);
	for (int with_paths = 0; with_paths < 2; with_paths++) {
		struct object_index *ox = object_index_new(with_paths ? px : NULL);
		for (size_t k = 0; k < NOBJECTS; k++)
			object_index_add(ox, &objs[k], 10 + 3 * k);
		size_t *cand = NULL, cap = 0;
		for (size_t i = 0; i < NPATHS + sizeof more / sizeof more[0]; i++) {
			const char *p = i < NPATHS ? paths[i] : more[i - NPATHS];
			int prot = is_protected(p);
			size_t n = object_index_lookup(ox, p, prot, &cand, &cap);
			for (size_t j = 1; j < n; j++)
				CHECK(cand[j - 1] < cand[j]);
			for (size_t k = 0; k < NOBJECTS; k++) {
				if (!objref_match_path(&objs[k], p, prot))
					continue;
				int found = 0;
				for (size_t j = 0; j < n; j++)
					found |= cand[j] == 10 + 3 * k;
				if (!found)
					printf("# %s: not looked up by %s\n", objects[k], p);
				CHECK(found);
			}
		}
		CHECK_INT((long)object_index_lookup(ox, NULL, 0, &cand, &cap), 0);
		free(cand);
		object_index_free(ox);
	}
	path_index_free(px);
	teardown();
}

/* Objects are filed under what a path must hold: a path looks up few. */
static void
test_object_index_narrows(void)
{
	setup();
	struct path_index *px = path_index_build(&a, 0);
	struct object_index *ox = object_index_new(px);
	static const char *const texts[] = {
		"the report of run-3", "the report of run-7", "the report of run-30",
		"/srv/data/run-7/scratch.bin", "/srv/data", "run-3/out.csv", "/srv/tmp/*.tmp",
	};
	struct objref o[7];
	for (size_t k = 0; k < 7; k++) {
		objref_parse(texts[k], &o[k]);
		object_index_add(ox, &o[k], k);
	}
	size_t *cand = NULL, cap = 0;
	/* run30's report: its own object and /srv/data */
	size_t n = object_index_lookup(ox, "/srv/data/run-30/report.json", 0, &cand, &cap);
	CHECK_INT((long)n, 2);
	CHECK_INT((long)cand[0], 2);
	CHECK_INT((long)cand[1], 4);
	n = object_index_lookup(ox, "/srv/data/run-3/out.csv", 0, &cand, &cap);
	CHECK_INT((long)n, 3);   /* the report of run-3 (by run3), /srv/data, run-3/out.csv */
	n = object_index_lookup(ox, "/home/u/x", 0, &cand, &cap);
	CHECK_INT((long)n, 0);
	/* a glob: by the directory before its wildcard */
	n = object_index_lookup(ox, "/srv/tmp/a.tmp", 0, &cand, &cap);
	CHECK(n == 1 && cand[0] == 6);
	CHECK(objref_match_path(&o[6], "/srv/tmp/a.tmp", 0));
	n = object_index_lookup(ox, "/srv/tmpfiles/b.tmp", 0, &cand, &cap);
	CHECK_INT((long)n, 0);
	free(cand);
	for (size_t k = 0; k < 7; k++)
		objref_free(&o[k]);
	object_index_free(ox);
	path_index_free(px);
	teardown();
}

static void
test_op_index(void)
{
	setup();
	struct pent *x = pool_intern(&a.pool, "/x"), *y = pool_intern(&a.pool, "/y");
	struct pent *z = pool_intern(&a.pool, "/z");
	struct aop ops[6];
	memset(ops, 0, sizeof ops);
	ops[0].path = x;
	ops[1].path = y;
	ops[1].path2 = x;         /* a rename of y to x */
	ops[2].path = NULL;       /* a connect */
	ops[3].path = x;
	ops[3].path2 = x;         /* the same path twice counts once */
	ops[4].path = y;
	ops[5].path2 = y;
	a.ops = ops;
	a.op_count = 6;
	struct op_index *ix = op_index_build(&a);
	size_t n;
	const uint32_t *v = op_index_find(ix, x, &n);
	CHECK_INT((long)n, 3);
	CHECK(n == 3 && v[0] == 0 && v[1] == 1 && v[2] == 3);
	v = op_index_find(ix, y, &n);
	CHECK_INT((long)n, 3);
	CHECK(n == 3 && v[0] == 1 && v[1] == 4 && v[2] == 5);
	CHECK(op_index_find(ix, z, &n) == NULL && n == 0);
	CHECK(op_index_find(ix, NULL, &n) == NULL && n == 0);
	op_index_free(ix);
	/* no ops at all */
	a.op_count = 0;
	ix = op_index_build(&a);
	CHECK(op_index_find(ix, x, &n) == NULL && n == 0);
	op_index_free(ix);
	a.ops = NULL;
	teardown();
}

static void
test_keymap(void)
{
	struct keymap *m = keymap_new();
	size_t n;
	CHECK(keymap_find(m, 'c', "a", 1, &n) == NULL && n == 0);
	char key[16];
	for (size_t i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%zu", i % 1000);
		keymap_add(m, 'c', key, strlen(key), i);
		keymap_add(m, 'c', key, strlen(key), i);     /* kept once */
	}
	keymap_add(m, 't', "k1", 2, 7);
	const size_t *v = keymap_find(m, 'c', "k1", 2, &n);
	CHECK_INT((long)n, 5);
	CHECK(n == 5 && v[0] == 1 && v[4] == 4001);
	v = keymap_find(m, 't', "k1", 2, &n);
	CHECK(n == 1 && v[0] == 7);                        /* kinds never mix */
	CHECK(keymap_find(m, 'c', "k1x", 2, &n) != NULL);  /* only n bytes count */
	CHECK(keymap_find(m, 'c', "k10000", 6, &n) == NULL);
	keymap_add(m, 'p', "", 0, 3);                      /* an empty text */
	v = keymap_find(m, 'p', "", 0, &n);
	CHECK(n == 1 && v[0] == 3);
	keymap_free(m);
}

int
main(void)
{
	if (load_default_rules())
		return 1;
	RUN(test_path_index_offers_every_match);
	RUN(test_path_index_narrows);
	RUN(test_path_index_has_under);
	RUN(test_object_index_finds_every_match);
	RUN(test_object_index_narrows);
	RUN(test_op_index);
	RUN(test_keymap);
	rules_free(rules);
	return unit_done();
}
