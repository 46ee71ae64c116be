/* compare.c — two runs side by side: each run's distinct operations,
 * claims and kinds of finding are gathered under a normalised key, the
 * keys are matched, and what only one run has is kept in its order.
 * The normalisation itself is in compare_norm.c. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/compare.h"

/* ---- a set of keys, each with the index of its item ---- */

struct keyset {
	char **keys;             /* by item index */
	size_t count, cap;
	size_t *slots;           /* open addressing: item index + 1, 0 empty */
	size_t nslots;
	unsigned char *matched;  /* by item index */
};

static uint64_t
hash_key(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

static size_t *
keyset_slot(const struct keyset *k, const char *key)
{
	size_t mask = k->nslots - 1;
	for (size_t i = (size_t)hash_key(key) & mask;; i = (i + 1) & mask)
		if (!k->slots[i] || strcmp(k->keys[k->slots[i] - 1], key) == 0)
			return &k->slots[i];
}

static void
keyset_grow(struct keyset *k)
{
	size_t old = k->nslots;
	size_t *slots = k->slots;
	k->nslots = old ? old * 2 : 64;
	k->slots = xcalloc(k->nslots, sizeof *k->slots);
	for (size_t i = 0; i < old; i++)
		if (slots[i])
			*keyset_slot(k, k->keys[slots[i] - 1]) = slots[i];
	free(slots);
}

/* The index of key's item, or -1. */
static long
keyset_find(const struct keyset *k, const char *key)
{
	if (!k->nslots)
		return -1;
	size_t *slot = keyset_slot(k, key);
	return *slot ? (long)*slot - 1 : -1;
}

/* The index of key's item; *added says whether it is new (key is then
 * the set's). */
static size_t
keyset_add(struct keyset *k, char *key, int *added)
{
	long at = keyset_find(k, key);
	*added = at < 0;
	if (at >= 0) {
		free(key);
		return (size_t)at;
	}
	if ((k->count + 1) * 2 > k->nslots)
		keyset_grow(k);
	grow_array((void **)&k->keys, sizeof *k->keys, &k->cap, k->count + 1);
	k->keys[k->count] = key;
	*keyset_slot(k, key) = k->count + 1;
	return k->count++;
}

static void
keyset_free(struct keyset *k)
{
	for (size_t i = 0; i < k->count; i++)
		free(k->keys[i]);
	free(k->keys);
	free(k->slots);
	free(k->matched);
	memset(k, 0, sizeof *k);
}

/* ---- one run, gathered ---- */

struct opset {
	struct keyset keys;
	struct compare_op *items;
	size_t cap;
	int taken;               /* items moved into the result */
};

struct gather {
	const struct rules *rules;
	struct compare_side *side;
	struct opset logged, derived;       /* ops from a system log / commands */
	struct keyset claim_keys;
	struct compare_claim *claims;
	size_t claim_cap;
	struct keyset kind_keys;
	struct compare_kind *kinds;
	size_t kind_cap;
	int taken;               /* claims and kinds moved into the result */
	struct strbuf scratch;
};

static char *
normalised_name(const char *s)
{
	if (!s)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	compare_normalise_names(s, &sb);
	return sb_detach(&sb);
}

/* The part of an op's detail that is what it did, not when. */
static const char *
op_detail(const struct alibi_op *op)
{
	switch (op->kind) {
	case ALIBI_OP_exec: case ALIBI_OP_chmod: case ALIBI_OP_kill:
		return op->detail;
	default:
		return NULL;   /* utime: the times set move with the clock */
	}
}

static char *
op_key(const struct compare_op *o)
{
	struct strbuf k = STRBUF_INIT;
	sb_addf(&k, "%s\t%s\t%s\t%s\t%d\t%s\t%s", alibi_op_name(o->kind),
	        o->path ? o->path : "", o->path2 ? o->path2 : "", o->host ? o->host : "",
	        o->port, o->detail ? o->detail : "", o->error ? o->error : "");
	return sb_detach(&k);
}

static void
compare_op_free(void *item)
{
	struct compare_op *o = item;
	free(o->path); free(o->path2); free(o->host);
	free(o->detail); free(o->error); free(o->source);
}

static int
gather_op(void *ctx, const struct store_op_row *r)
{
	struct gather *g = ctx;
	const struct alibi_op *op = &r->op;
	if (compare_op_is_noise(g->rules, op))
		return 0;
	struct opset *set = op->derived ? &g->derived : &g->logged;
	struct compare_op o = {
		.kind = op->kind,
		.path = normalised_name(op->path),
		.path2 = normalised_name(op->path2),
		.host = normalised_name(op->host),
		.port = op->port,
		.detail = normalised_name(op_detail(op)),
		.error = op->ok ? NULL : xstrdup(op->err_name ? op->err_name : "failed"),
	};
	int added;
	size_t i = keyset_add(&set->keys, op_key(&o), &added);
	if (!added) {
		compare_op_free(&o);
		set->items[i].count++;
		return 0;
	}
	o.count = 1;
	o.source = xstrdup(r->source_path);
	o.line = op->line;
	o.protected_asset = rules_path_is_protected(g->rules, op->path) ||
	                    rules_path_is_protected(g->rules, op->path2);
	o.hidden_place = rules_path_is_hidden(g->rules, op->path) ||
	                 rules_path_is_hidden(g->rules, op->path2);
	grow_array((void **)&set->items, sizeof *set->items, &set->cap, i + 1);
	set->items[i] = o;
	return 0;
}

static int
gather_claim(void *ctx, const struct store_claim_row *r)
{
	struct gather *g = ctx;
	struct strbuf *k = &g->scratch;
	sb_reset(k);
	sb_addf(k, "%s\t%s\t%d\t", alibi_claim_kind_name(r->c.kind),
	        r->c.verb ? r->c.verb : "", r->c.negated != 0);
	compare_normalise_words(r->c.object, k);
	int added;
	size_t i = keyset_add(&g->claim_keys, xstrdup(sb_str(k)), &added);
	if (!added) {
		g->claims[i].count++;
		return 0;
	}
	grow_array((void **)&g->claims, sizeof *g->claims, &g->claim_cap, i + 1);
	g->claims[i] = (struct compare_claim){
		.kind = r->c.kind, .verb = xstrdup(r->c.verb), .object = xstrdup(r->c.object),
		.negated = r->c.negated != 0, .text = xstrdup(r->c.text),
		.source = xstrdup(r->source_path), .line = r->line, .count = 1,
	};
	return 0;
}

static int
gather_finding(void *ctx, const struct store_finding_row *r)
{
	struct gather *g = ctx;
	int added;
	size_t i = keyset_add(&g->kind_keys, xstrdup(r->f.kind), &added);
	if (!added) {
		struct compare_kind *c = &g->kinds[i];
		c->count++;
		if (r->f.severity > c->severity)
			c->severity = r->f.severity;
		return 0;
	}
	grow_array((void **)&g->kinds, sizeof *g->kinds, &g->kind_cap, i + 1);
	g->kinds[i] = (struct compare_kind){
		.kind = xstrdup(r->f.kind), .severity = r->f.severity, .count = 1,
		.key = xstrdup(r->f.stable_key), .summary = xstrdup(r->f.summary),
	};
	return 0;
}

static int
gather_incident(void *ctx, const struct store_incident *inc)
{
	struct compare_side *side = ctx;
	side->slug = xstrdup(inc->slug);
	side->title = xstrdup(inc->title);
	return 1;
}

static int
gather_run(struct store *st, struct gather *g, int64_t incident,
           struct alibi_error *err)
{
	g->side->incident = incident;
	if (store_each_incident(st, incident, gather_incident, g->side, err) ||
	    store_each_op(st, incident, gather_op, g, err) ||
	    store_each_claim(st, incident, gather_claim, g, err) ||
	    store_each_finding(st, incident, gather_finding, g, err))
		return err->code;
	if (!g->side->slug)
		return alibi_error_set(err, ALIBI_ENOTFOUND, "no incident with id %lld",
		                       (long long)incident);
	g->side->has_action_log = g->logged.keys.count > 0;
	return 0;
}

static void
opset_free(struct opset *s)
{
	for (size_t i = 0; i < s->keys.count && !s->taken; i++)
		compare_op_free(&s->items[i]);
	free(s->items);
	keyset_free(&s->keys);
}

static void
compare_claim_free(void *item)
{
	struct compare_claim *c = item;
	free(c->verb); free(c->object); free(c->text); free(c->source);
}

static void
compare_kind_free(void *item)
{
	struct compare_kind *c = item;
	free(c->kind); free(c->key); free(c->summary);
}

static void
gather_free(struct gather *g)
{
	opset_free(&g->logged);
	opset_free(&g->derived);
	for (size_t i = 0; i < g->claim_keys.count && !g->taken; i++)
		compare_claim_free(&g->claims[i]);
	free(g->claims);
	keyset_free(&g->claim_keys);
	for (size_t i = 0; i < g->kind_keys.count && !g->taken; i++)
		compare_kind_free(&g->kinds[i]);
	free(g->kinds);
	keyset_free(&g->kind_keys);
	sb_free(&g->scratch);
}

/* ---- matching ---- */

/* Marks the keys both sets hold; returns how many. */
static int64_t
match_keys(struct keyset *a, struct keyset *b)
{
	int64_t both = 0;
	a->matched = xcalloc(a->count + 1, 1);
	b->matched = xcalloc(b->count + 1, 1);
	for (size_t i = 0; i < a->count; i++) {
		long j = keyset_find(b, a->keys[i]);
		if (j >= 0) {
			a->matched[i] = b->matched[j] = 1;
			both++;
		}
	}
	return both;
}

/* Moves the unmatched items (of size bytes) into a new array, in order,
 * and frees the matched ones; returns the new array. */
static void *
take_unmatched(const struct keyset *keys, void *items, size_t size,
               void (*free_item)(void *), size_t *count)
{
	char *out = xcalloc(keys->count + 1, size);
	char *from = items;
	*count = 0;
	for (size_t i = 0; i < keys->count; i++) {
		if (keys->matched[i])
			free_item(from + i * size);
		else
			memcpy(out + (*count)++ * size, from + i * size, size);
	}
	return out;
}

static int
cmp_kind(const void *pa, const void *pb)
{
	const struct compare_kind *a = pa, *b = pb;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return strcmp(a->kind, b->kind);
}

static void
take_only(struct gather *g, struct opset *ops)
{
	struct compare_side *s = g->side;
	s->ops = (int64_t)ops->keys.count;
	s->claims = (int64_t)g->claim_keys.count;
	s->kinds = (int64_t)g->kind_keys.count;
	s->only_ops = take_unmatched(&ops->keys, ops->items, sizeof *ops->items,
	                             compare_op_free, &s->only_op_count);
	s->only_claims = take_unmatched(&g->claim_keys, g->claims, sizeof *g->claims,
	                                compare_claim_free, &s->only_claim_count);
	s->only_kinds = take_unmatched(&g->kind_keys, g->kinds, sizeof *g->kinds,
	                               compare_kind_free, &s->only_kind_count);
	ops->taken = g->taken = 1;
	qsort(s->only_kinds, s->only_kind_count, sizeof *s->only_kinds, cmp_kind);
}

int
compare_incidents(struct store *st, const struct rules *rules, int64_t a,
                  int64_t b, struct compare_result *out,
                  struct alibi_error *err)
{
	memset(out, 0, sizeof *out);
	struct gather ga = { .rules = rules, .side = &out->a };
	struct gather gb = { .rules = rules, .side = &out->b };
	int rc = gather_run(st, &ga, a, err);
	if (!rc)
		rc = gather_run(st, &gb, b, err);
	if (!rc) {
		/* Like with like: a run without an action log is compared by the
		 * ops its commands imply, and so is the other then. */
		out->derived = !out->a.has_action_log || !out->b.has_action_log;
		struct opset *oa = out->derived ? &ga.derived : &ga.logged;
		struct opset *ob = out->derived ? &gb.derived : &gb.logged;
		out->ops_both = match_keys(&oa->keys, &ob->keys);
		out->claims_both = match_keys(&ga.claim_keys, &gb.claim_keys);
		out->kinds_both = match_keys(&ga.kind_keys, &gb.kind_keys);
		take_only(&ga, oa);
		take_only(&gb, ob);
		const struct compare_side *s[2] = { &out->a, &out->b };
		for (int i = 0; i < 2; i++)
			out->differences += (int64_t)(s[i]->only_op_count + s[i]->only_claim_count +
			                              s[i]->only_kind_count);
	}
	gather_free(&ga);
	gather_free(&gb);
	if (rc)
		compare_result_free(out);
	return rc;
}

static void
side_free(struct compare_side *s)
{
	free(s->slug);
	free(s->title);
	for (size_t i = 0; i < s->only_op_count; i++)
		compare_op_free(&s->only_ops[i]);
	free(s->only_ops);
	for (size_t i = 0; i < s->only_claim_count; i++)
		compare_claim_free(&s->only_claims[i]);
	free(s->only_claims);
	for (size_t i = 0; i < s->only_kind_count; i++)
		compare_kind_free(&s->only_kinds[i]);
	free(s->only_kinds);
}

void
compare_result_free(struct compare_result *r)
{
	side_free(&r->a);
	side_free(&r->b);
	memset(r, 0, sizeof *r);
}

int
compare_worst_difference(const struct compare_result *r)
{
	int worst = 0;
	const struct compare_side *s[2] = { &r->a, &r->b };
	for (int i = 0; i < 2; i++)
		for (size_t k = 0; k < s[i]->only_kind_count; k++)
			if ((int)s[i]->only_kinds[k].severity > worst)
				worst = (int)s[i]->only_kinds[k].severity;
	return worst;
}
