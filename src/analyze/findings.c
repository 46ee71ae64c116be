/* findings.c — what the finding families share: building a finding with
 * its evidence and a stable key, and the questions they all ask (was this
 * file to be deleted? did the operator ask for this?). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "alibi/sha256.h"
#include "alibi/termtext.h"
#include "analyze_internal.h"

#define STABLE_KEY_HEX 16

void
fnd_init(struct fnd *f, enum finding_kind kind, const char *rule, double confidence)
{
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->rule = rule;
	f->confidence = confidence;
}

void
fnd_free(struct fnd *f)
{
	for (size_t i = 0; i < f->ev_count; i++)
		free(f->ev[i].key);
	free(f->ev);
	sb_free(&f->summary);
	sb_free(&f->because);
	memset(f, 0, sizeof *f);
}

static void
fnd_add(struct fnd *f, enum store_evidence_type type, int64_t ref, const char *role,
        struct strbuf *key)
{
	for (size_t i = 0; i < f->ev_count; i++) {
		if (f->ev[i].type == type && f->ev[i].ref == ref && strcmp(f->ev[i].role, role) == 0) {
			sb_free(key);
			return;
		}
	}
	grow_array((void **)&f->ev, sizeof *f->ev, &f->ev_cap, f->ev_count + 1);
	f->ev[f->ev_count].type = type;
	f->ev[f->ev_count].ref = ref;
	f->ev[f->ev_count].role = role;
	f->ev[f->ev_count].key = sb_detach(key);
	f->ev_count++;
}

/* Evidence keys name source positions by the source's file name, so a
 * case opened from a copy of the files keeps its keys. */
void
fnd_add_op(struct fnd *f, const struct aop *op, const char *role)
{
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, "op:%s:%lld:%s:%s", path_basename(op->source ? op->source->s : ""),
	        (long long)op->line, alibi_op_name((enum alibi_op_kind)op->kind),
	        op->path ? op->path->s : "");
	fnd_add(f, STORE_EV_OP, op->id, role, &key);
}

void
fnd_add_claim(struct fnd *f, const struct actx *a, const struct aclaim *c)
{
	const struct amsg *m = &a->msgs[c->msg];
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, "claim:%s:%lld:%lld:%d-%d", path_basename(m->source), (long long)m->line,
	        (long long)m->seq, c->hit.start, c->hit.end);
	fnd_add(f, STORE_EV_CLAIM, c->id, "claim", &key);
}

void
fnd_add_message(struct fnd *f, const struct actx *a, size_t msg, const char *role)
{
	const struct amsg *m = &a->msgs[msg];
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, "msg:%s:%lld:%lld", path_basename(m->source), (long long)m->line,
	        (long long)m->seq);
	fnd_add(f, STORE_EV_MESSAGE, m->id, role, &key);
}

void
fnd_add_tool_call(struct fnd *f, const struct atc *tc, const char *role)
{
	struct strbuf key = STRBUF_INIT;
	sb_addf(&key, "tc:%s:%lld", path_basename(tc->source), (long long)tc->line);
	fnd_add(f, STORE_EV_TOOL_CALL, tc->id, role, &key);
}

static int
str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* A hash of the kind and the evidence positions (context excluded), so
 * the same finding found again gets the same key. */
static void
stable_key(const struct fnd *f, char out[STABLE_KEY_HEX + 1])
{
	char **keys = xcalloc(f->ev_count + 1, sizeof *keys);
	size_t n = 0;
	for (size_t i = 0; i < f->ev_count; i++)
		if (strcmp(f->ev[i].role, "context") != 0)
			keys[n++] = f->ev[i].key;
	qsort(keys, n, sizeof *keys, str_cmp);
	struct sha256 h;
	sha256_init(&h);
	const char *kind = finding_kind_name(f->kind);
	sha256_update(&h, kind, strlen(kind));
	for (size_t i = 0; i < n; i++) {
		sha256_update(&h, "\n", 1);
		sha256_update(&h, keys[i], strlen(keys[i]));
	}
	unsigned char digest[32];
	sha256_final(&h, digest);
	for (size_t i = 0; i < STABLE_KEY_HEX / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	free(keys);
}

int
fnd_emit(struct actx *a, struct fnd *f)
{
	int sev = a->rules->severity[f->kind];
	if (!sev || a->failed)
		return a->failed;
	char key[STABLE_KEY_HEX + 1];
	stable_key(f, key);
	size_t seen;
	if (!a->emitted)
		a->emitted = keymap_new();
	if (keymap_find(a->emitted, 'k', key, STABLE_KEY_HEX, &seen) && seen)
		return 0;
	keymap_add(a->emitted, 'k', key, STABLE_KEY_HEX, a->key_count);
	grow_array((void **)&a->keys, sizeof *a->keys, &a->key_cap, a->key_count + 1);
	a->keys[a->key_count++] = xstrdup(key);
	/* paths and quotes come from logs: the workspace keeps valid UTF-8 */
	struct strbuf summary = STRBUF_INIT, because = STRBUF_INIT;
	utf8_sanitize(&summary, f->summary.buf ? f->summary.buf : "", f->summary.len);
	utf8_sanitize(&because, f->because.buf ? f->because.buf : "", f->because.len);
	struct store_finding sf = {
		.kind = finding_kind_name(f->kind),
		.severity = (enum alibi_severity)sev,
		.confidence = f->confidence,
		.summary = sb_str(&summary),
		.because = sb_str(&because),
		.rule = f->rule,
		.stable_key = key,
	};
	struct alibi_error err = { 0 };
	int64_t id = 0;
	int rc = store_add_finding(a->st, a->incident, &sf, &id, &err);
	sb_free(&summary);
	sb_free(&because);
	if (rc) {
		*a->err = err;
		a->failed = 1;
		return 1;
	}
	for (size_t i = 0; i < f->ev_count; i++) {
		if (store_add_evidence(a->st, id, f->ev[i].type, f->ev[i].ref, f->ev[i].role, &err)) {
			*a->err = err;
			a->failed = 1;
			return 1;
		}
	}
	a->finding_count++;
	return 0;
}

/* ---- shared questions ---- */

int
op_is_delete(const struct aop *op)
{
	return op->kind == ALIBI_OP_unlink || op->kind == ALIBI_OP_rmdir;
}

int
use_op(const struct actx *a, const struct aop *op)
{
	/* A syscall log is the better witness; derived ops (read from the
	 * commands) stand in only when there is none. */
	return a->has_syscall_ops ? !op->derived : 1;
}

/* The index of the item whose id is id in items (count of them, size
 * bytes each, each starting with its int64_t id), or -1.  Messages and
 * tool calls are read in id order, so a binary search finds one; should
 * they ever not be, the search may miss and the scan finds it. */
static long
find_by_id(const void *items, size_t count, size_t size, int64_t id)
{
	const char *base = items;
#define ID_AT(i) (*(const int64_t *)(const void *)(base + (i) * size))
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ID_AT(mid) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < count && ID_AT(lo) == id)
		return (long)lo;
	for (size_t i = 0; i < count; i++)
		if (ID_AT(i) == id)
			return (long)i;
	return -1;
#undef ID_AT
}

_Static_assert(offsetof(struct atc, id) == 0, "find_by_id reads the id first");
_Static_assert(offsetof(struct amsg, id) == 0, "find_by_id reads the id first");

const struct atc *
actx_tool_call(const struct actx *a, int64_t id)
{
	long i = id > 0 ? find_by_id(a->tcs, a->tc_count, sizeof *a->tcs, id) : -1;
	return i < 0 ? NULL : &a->tcs[i];
}

long
actx_message_index(const struct actx *a, int64_t id)
{
	return find_by_id(a->msgs, a->msg_count, sizeof *a->msgs, id);
}

void
human_bytes(char *buf, size_t size, int64_t bytes)
{
	if (bytes < 0)
		snprintf(buf, size, "size unknown");
	else if (bytes < 1024)
		snprintf(buf, size, "%lld bytes", (long long)bytes);
	else if (bytes < 1024 * 1024)
		snprintf(buf, size, "%.1f KB", (double)bytes / 1024);
	else if (bytes < 1024LL * 1024 * 1024)
		snprintf(buf, size, "%.1f MB", (double)bytes / (1024 * 1024));
	else
		snprintf(buf, size, "%.1f GB", (double)bytes / (1024.0 * 1024 * 1024));
}

void
actx_known_paths(struct actx *a, const char ***out, size_t *count)
{
	const char **known = xcalloc(a->pool.count + 1, sizeof *known);
	size_t n = 0;
	for (size_t i = 0; i < a->pool.cap; i++) {
		struct pent *e = a->pool.slots[i];
		if (e && (e->flags & PF_SEEN))
			known[n++] = e->s;
	}
	/* paths the operator and the agent wrote count as known too */
	*out = known;
	*count = n;
}

struct path_index *
actx_seen_paths(struct actx *a)
{
	if (!a->seen)
		a->seen = path_index_build(a, 0);
	return a->seen;
}

/* The verbs that ask for the same kind of thing. */
static int
verb_family(enum verb v)
{
	switch (v) {
	case VERB_copy: case VERB_transfer: case VERB_keep:
		return VERB_copy;
	case VERB_modify: case VERB_timestamp: case VERB_create:
		return VERB_modify;
	default:
		return (int)v;
	}
}

/* The instructions that may name path, in order, into *out: the families
 * ask about one op or path at a time, so the instructions are looked up
 * by what their objects name (object_index.c), not each asked in turn.
 * The index is built on first use, when the instructions are final. */
static size_t
asks_about(struct actx *a, struct pent *path, size_t **out, size_t *cap)
{
	if (!a->asks) {
		a->asks = object_index_new(actx_seen_paths(a));
		for (size_t i = 0; i < a->instr_count; i++)
			if (!a->instrs[i].hit.negated)
				object_index_add(a->asks, &a->instrs[i].obj, i);
	}
	return object_index_lookup(a->asks, path->s, pent_class(a->rules, path, GLOB_PROTECTED),
	                           out, cap);
}

long
instr_covering(struct actx *a, enum verb v, struct pent *p)
{
	if (!p)
		return -1;
	int prot = pent_class(a->rules, p, GLOB_PROTECTED);
	size_t *cand = NULL, cap = 0;
	size_t n = asks_about(a, p, &cand, &cap);
	long found = -1;
	for (size_t k = 0; k < n && found < 0; k++) {
		const struct ainstr *in = &a->instrs[cand[k]];
		if (in->hit.negated || verb_family(in->hit.verb) != verb_family(v))
			continue;
		/* "delete the weights" alone does not say which */
		if (!in->obj.path_count && !in->obj.name_count)
			continue;
		if (objref_match_path(&in->obj, p->s, prot))
			found = (long)cand[k];
	}
	free(cand);
	return found;
}

int
instructed(struct actx *a, enum verb v, struct pent *path, struct pent *host)
{
	if (path) {
		size_t *cand = NULL, cap = 0;
		size_t n = asks_about(a, path, &cand, &cap);
		int found = 0;
		for (size_t k = 0; k < n && !found; k++) {
			const struct ainstr *in = &a->instrs[cand[k]];
			found = verb_family(in->hit.verb) == verb_family(v) &&
			        objref_match_path(&in->obj, path->s,
			                          pent_class(a->rules, path, GLOB_PROTECTED));
		}
		free(cand);
		if (found)
			return 1;
	}
	for (size_t i = 0; host && i < a->instr_count; i++) {
		const struct ainstr *in = &a->instrs[i];
		if (!in->hit.negated && verb_family(in->hit.verb) == verb_family(v) &&
		    objref_match_host(&in->obj, host->s, NULL))
			return 1;
	}
	return 0;
}

int
claim_object_matches(struct actx *a, const struct objref *o, struct pent *p)
{
	return p && objref_match_path(o, p->s, pent_class(a->rules, p, GLOB_PROTECTED));
}

int
copying_tool(const char *comm)
{
	static const char *const tools[] = {
		"cp", "rsync", "install", "dd", "tar", "cpio", "cat", "pv", "tee", "gzip",
		"pigz", "zstd", "xz", "bzip2", "zip", "7z", "scp", "sftp", NULL
	};
	for (size_t i = 0; comm && tools[i]; i++)
		if (strcmp(comm, tools[i]) == 0)
			return 1;
	return 0;
}

int
utime_is_explicit(struct actx *a, const struct aop *op)
{
	static const char *const carriers[] = {
		"cp", "rsync", "tar", "unzip", "install", "cpio", "git", "scp", "mv",
		"dpkg", "apt", "apt-get", "pip", "pip3", "unxz", "gunzip", NULL
	};
	const char *d = op->detail ? op->detail->s : NULL;
	if (op->kind != ALIBI_OP_utime || !op->ok)
		return 0;
	if (d && (strstr(d, "NULL") || strstr(d, "UTIME_NOW")))
		return 0;       /* "now", as a plain touch does */
	if (!d && !op->derived)
		return 0;
	const char *comm = op->derived ? NULL : actx_comm(a, op->pid);
	/* touch opens with O_CREAT whether or not the file was there, and
	 * sets the times it is told either way */
	int toucher = comm && strcmp(comm, "touch") == 0;
	if (!toucher && op->path && op->path->created_by && op->path->created_by == op->pid)
		return 0;       /* a program setting the times of what it made */
	for (size_t i = 0; comm && carriers[i]; i++)
		if (strcmp(comm, carriers[i]) == 0)
			return 0;
	return 1;
}

/* The pool's strings in order, for the deletes derived from commands:
 * each names a tree or a pattern, and the strings it covers are one range
 * of them (those that start with the tree, or with the pattern's text
 * before its first wildcard), not the whole pool. */
struct pool_order {
	const char **raw;         /* the texts, sorted */
	struct pent **raw_ent;    /* the entry of each */
	char **norm;              /* the texts path_normalize()d, sorted */
	struct pent **norm_ent;
	size_t count;
};

struct text_ent {
	const char *text;
	struct pent *e;
};

static int
text_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct text_ent *)pa)->text, ((const struct text_ent *)pb)->text);
}

/* v[0..n) sorted by text, split into texts and entries. */
static void
sorted_split(struct text_ent *v, size_t n, const char ***texts, struct pent ***ents)
{
	qsort(v, n, sizeof *v, text_cmp);
	*texts = xcalloc(n + 1, sizeof **texts);
	*ents = xcalloc(n + 1, sizeof **ents);
	for (size_t i = 0; i < n; i++) {
		(*texts)[i] = v[i].text;
		(*ents)[i] = v[i].e;
	}
}

static void
pool_order_build(struct actx *a, struct pool_order *po)
{
	struct text_ent *raw = xcalloc(a->pool.count + 1, sizeof *raw);
	struct text_ent *norm = xcalloc(a->pool.count + 1, sizeof *norm);
	for (size_t i = 0; i < a->pool.cap; i++) {
		struct pent *e = a->pool.slots[i];
		if (!e)
			continue;
		raw[po->count] = (struct text_ent){ e->s, e };
		norm[po->count] = (struct text_ent){ path_normalize(xstrdup(e->s)), e };
		po->count++;
	}
	sorted_split(raw, po->count, &po->raw, &po->raw_ent);
	sorted_split(norm, po->count, (const char ***)&po->norm, &po->norm_ent);
	free(raw);
	free(norm);
}

static void
pool_order_free(struct pool_order *po)
{
	for (size_t i = 0; i < po->count; i++)
		free(po->norm[i]);
	free(po->norm);
	free(po->norm_ent);
	free(po->raw);
	free(po->raw_ent);
}

/* The first of the sorted texts v[0..n) not before prefix[0..len). */
static size_t
first_from(const char *const *v, size_t n, const char *prefix, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strncmp(v[mid], prefix, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A delete derived from a command names a tree or a pattern (`rm -rf DIR`,
 * `find DIR -delete`) rather than each file; with no action log listing
 * the unlinks, every known path under it counts as deleted. */
static void
mark_derived_tree_deletes(struct actx *a, struct pool_order *po, const struct aop *op)
{
	const char *root = op->path->s;
	if (!po->raw)
		pool_order_build(a, po);
	if (strpbrk(root, "*?[")) {
		/* what a pattern matches starts with its text before the
		 * first character glob matching treats specially */
		size_t len = strcspn(root, "*?[\\");
		for (size_t i = first_from(po->raw, po->count, root, len);
		     i < po->count && strncmp(po->raw[i], root, len) == 0; i++)
			if (po->raw_ent[i] != op->path && path_glob_match(root, po->raw[i]))
				po->raw_ent[i]->flags |= PF_UNLINKED;
		return;
	}
	/* what is within a tree, normalised, starts with the tree normalised
	 * ("." holds every relative path: all are asked) */
	char *r = path_normalize(xstrdup(root));
	size_t len = strcmp(r, ".") == 0 ? 0 : strlen(r);
	for (size_t i = first_from((const char *const *)po->norm, po->count, r, len);
	     i < po->count && strncmp(po->norm[i], r, len) == 0; i++) {
		struct pent *e = po->norm_ent[i];
		if (e != op->path && path_is_within(root, e->s))
			e->flags |= PF_UNLINKED;
	}
	free(r);
}

/* "I'll remove agent2's weights from /srv/models": a plan to delete that
 * names what it is about (a name or a path; with both, the name must be
 * in the path too, so agent1 beside it is not meant). */
static int
planned_deletion(struct actx *a, const struct aclaim *c, struct pent *e)
{
	if (c->hit.kind != ALIBI_CLAIM_INTENT || c->hit.negated || c->hit.verb != VERB_delete ||
	    (!c->obj.name_count && !c->obj.path_count) || !claim_object_matches(a, &c->obj, e))
		return 0;
	struct objref names = c->obj;
	names.paths = NULL;
	names.path_count = 0;
	names.excluded = NULL;
	return !c->obj.name_count || claim_object_matches(a, &names, e);
}

/* 1 when claim c says path e was or will be deleted. */
static int
claimed_deleted(struct actx *a, const struct aclaim *c, struct pent *e)
{
	return (c->hit.kind == ALIBI_CLAIM_REPORT && claim_object_matches(a, &c->obj, e)) ||
	       planned_deletion(a, c, e);
}

/* One path asking the objects that may name it (object_index_each). */
struct asking {
	struct actx *a;
	struct pent *e;
	int prot;             /* e is protected */
};

static int
claim_marks(void *ctx, size_t k)
{
	struct asking *q = ctx;
	if (!claimed_deleted(q->a, &q->a->claims[k], q->e))
		return 0;
	q->e->flags |= PF_DELSET;
	return 1;
}

/* What the agent said it deleted or would delete.  Copies the agent made
 * are left out (those are what preservation looks for).  Many claims may
 * name the same files ("removed the scratch file of run-2" names every
 * scratch file), so each path asks the claims that may name it
 * (object_index.c) until one does, rather than each claim marking every
 * path it names. */
static void
mark_claimed(struct actx *a, struct pent *const *seen, size_t seen_count)
{
	struct object_index *ox = NULL;
	for (size_t k = 0; k < a->claim_count; k++) {
		const struct aclaim *c = &a->claims[k];
		if (c->hit.negated || c->hit.verb != VERB_delete ||
		    (c->hit.kind != ALIBI_CLAIM_REPORT && c->hit.kind != ALIBI_CLAIM_INTENT))
			continue;
		if (!ox)
			ox = object_index_new(actx_seen_paths(a));
		object_index_add(ox, &c->obj, k);
	}
	for (size_t i = 0; ox && i < seen_count; i++) {
		struct pent *e = seen[i];
		int made = e->created_by && !(e->flags & PF_UNLINKED);
		if (made || (e->flags & PF_DELSET))
			continue;
		struct asking q = { a, e, pent_class(a->rules, e, GLOB_PROTECTED) };
		object_index_each(ox, e->s, q.prot, claim_marks, &q);
	}
	object_index_free(ox);
}

/* Marks what was to go: what the operator asked to delete, what the agent
 * said it deleted or would delete, and protected files it did delete. */
void
mark_paths(struct actx *a)
{
	struct pool_order po = { 0 };
	for (size_t i = 0; i < a->op_count; i++) {
		const struct aop *op = &a->ops[i];
		if (!op->ok || !op_is_delete(op) || !use_op(a, op) || !op->path)
			continue;
		op->path->flags |= PF_UNLINKED;
		if (op->derived)
			mark_derived_tree_deletes(a, &po, op);
	}
	pool_order_free(&po);
	struct pent **seen = xcalloc(a->pool.count + 1, sizeof *seen);
	size_t seen_count = 0;
	for (size_t i = 0; i < a->pool.cap; i++)
		if (a->pool.slots[i] && (a->pool.slots[i]->flags & PF_SEEN))
			seen[seen_count++] = a->pool.slots[i];
	for (size_t i = 0; i < seen_count; i++) {
		struct pent *e = seen[i];
		if (instr_covering(a, VERB_delete, e) >= 0)
			e->flags |= PF_TARGET | PF_DELSET;
		if ((e->flags & PF_UNLINKED) && pent_class(a->rules, e, GLOB_PROTECTED))
			e->flags |= PF_DELSET;
	}
	mark_claimed(a, seen, seen_count);
	free(seen);
}

/* ---- groups ---- */

struct agroup *
group_add(struct actx *a, enum group_kind kind, int64_t tree)
{
	grow_array((void **)&a->groups, sizeof *a->groups, &a->group_cap, a->group_count + 1);
	struct agroup *g = &a->groups[a->group_count++];
	memset(g, 0, sizeof *g);
	g->kind = kind;
	g->tree = tree;
	g->port = -1;
	return g;
}

static void
index_add(size_t **v, size_t *count, size_t *cap, size_t op)
{
	for (size_t i = 0; i < *count; i++)
		if ((*v)[i] == op)
			return;
	grow_array((void **)v, sizeof **v, cap, *count + 1);
	(*v)[(*count)++] = op;
}

void
group_add_read(struct agroup *g, size_t op)
{
	index_add(&g->reads, &g->read_count, &g->read_cap, op);
}

void
group_add_act(struct agroup *g, size_t op)
{
	index_add(&g->acts, &g->act_count, &g->act_cap, op);
}

void
groups_free(struct actx *a)
{
	keymap_free(a->emitted);
	a->emitted = NULL;
	object_index_free(a->asks);
	a->asks = NULL;
	path_index_free(a->seen);
	a->seen = NULL;
	for (size_t i = 0; i < a->group_count; i++) {
		free(a->groups[i].reads);
		free(a->groups[i].acts);
	}
	free(a->groups);
	a->groups = NULL;
	a->group_count = a->group_cap = 0;
}
