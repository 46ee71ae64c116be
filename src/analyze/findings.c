/* findings.c — what the finding families share: building a finding with
 * its evidence and a stable key, and the questions they all ask (was this
 * file to be deleted? did the operator ask for this?). */
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
	for (size_t i = 0; i < a->key_count; i++)
		if (strcmp(a->keys[i], key) == 0)
			return 0;
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

const struct atc *
actx_tool_call(const struct actx *a, int64_t id)
{
	if (id <= 0)
		return NULL;
	for (size_t i = 0; i < a->tc_count; i++)
		if (a->tcs[i].id == id)
			return &a->tcs[i];
	return NULL;
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

long
instr_covering(struct actx *a, enum verb v, struct pent *p)
{
	if (!p)
		return -1;
	int prot = pent_class(a->rules, p, GLOB_PROTECTED);
	for (size_t i = 0; i < a->instr_count; i++) {
		const struct ainstr *in = &a->instrs[i];
		if (in->hit.negated || verb_family(in->hit.verb) != verb_family(v))
			continue;
		/* "delete the weights" alone does not say which */
		if (!in->obj.path_count && !in->obj.name_count)
			continue;
		if (objref_match_path(&in->obj, p->s, prot))
			return (long)i;
	}
	return -1;
}

int
instructed(struct actx *a, enum verb v, struct pent *path, struct pent *host)
{
	for (size_t i = 0; i < a->instr_count; i++) {
		const struct ainstr *in = &a->instrs[i];
		if (in->hit.negated || verb_family(in->hit.verb) != verb_family(v))
			continue;
		if (path && objref_match_path(&in->obj, path->s,
		                              pent_class(a->rules, path, GLOB_PROTECTED)))
			return 1;
		if (host && objref_match_host(&in->obj, host->s, NULL))
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

/* A delete derived from a command names a tree or a pattern (`rm -rf DIR`,
 * `find DIR -delete`) rather than each file; with no action log listing
 * the unlinks, every known path under it counts as deleted. */
static void
mark_derived_tree_deletes(struct actx *a, const struct aop *op)
{
	const char *root = op->path->s;
	int pattern = strpbrk(root, "*?[") != NULL;
	for (size_t i = 0; i < a->pool.cap; i++) {
		struct pent *e = a->pool.slots[i];
		if (!e || e == op->path)
			continue;
		if (pattern ? path_glob_match(root, e->s) : path_is_within(root, e->s))
			e->flags |= PF_UNLINKED;
	}
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

struct claimed {
	struct actx *a;
	const struct aclaim *c;
};

/* A path claim c may name: marked when c says it was or will be deleted.
 * Copies the agent made are left out (those are what preservation looks
 * for). */
static void
claimed_path(void *ctx, struct pent *e)
{
	struct claimed *cl = ctx;
	const struct aclaim *c = cl->c;
	int made = e->created_by && !(e->flags & PF_UNLINKED);
	if (made || (e->flags & PF_DELSET))
		return;
	if ((c->hit.kind == ALIBI_CLAIM_REPORT && claim_object_matches(cl->a, &c->obj, e)) ||
	    planned_deletion(cl->a, c, e))
		e->flags |= PF_DELSET;
}

/* What the agent said it deleted or would delete: each such claim is
 * asked about the paths its object may name (path_index.c), not about
 * every path of the incident. */
static void
mark_claimed(struct actx *a)
{
	struct path_index *ix = NULL;
	for (size_t k = 0; k < a->claim_count; k++) {
		const struct aclaim *c = &a->claims[k];
		if (c->hit.negated || c->hit.verb != VERB_delete ||
		    (c->hit.kind != ALIBI_CLAIM_REPORT && c->hit.kind != ALIBI_CLAIM_INTENT))
			continue;
		if (!ix)
			ix = path_index_build(a);
		struct claimed cl = { a, c };
		path_index_candidates(ix, &c->obj, claimed_path, &cl);
	}
	path_index_free(ix);
}

/* Marks what was to go: what the operator asked to delete, what the agent
 * said it deleted or would delete, and protected files it did delete. */
void
mark_paths(struct actx *a)
{
	for (size_t i = 0; i < a->op_count; i++) {
		const struct aop *op = &a->ops[i];
		if (!op->ok || !op_is_delete(op) || !use_op(a, op) || !op->path)
			continue;
		op->path->flags |= PF_UNLINKED;
		if (op->derived)
			mark_derived_tree_deletes(a, op);
	}
	for (size_t i = 0; i < a->pool.cap; i++) {
		struct pent *e = a->pool.slots[i];
		if (!e || !(e->flags & PF_SEEN))
			continue;
		if (instr_covering(a, VERB_delete, e) >= 0)
			e->flags |= PF_TARGET | PF_DELSET;
		if ((e->flags & PF_UNLINKED) && pent_class(a->rules, e, GLOB_PROTECTED))
			e->flags |= PF_DELSET;
	}
	mark_claimed(a);
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
	for (size_t i = 0; i < a->group_count; i++) {
		free(a->groups[i].reads);
		free(a->groups[i].acts);
	}
	free(a->groups);
	a->groups = NULL;
	a->group_count = a->group_cap = 0;
}
