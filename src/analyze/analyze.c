/* analyze.c — the driver: from an imported incident to claims and
 * findings, in one transaction.
 *
 * Each table is read once, in order: messages (claims and instructions
 * are found as they stream by), tool calls, then ops, which are
 * attributed to tool calls as they pass and of which only the significant
 * ones (not noise) are kept.  The clock offset is estimated from the
 * attribution's anchor pairs, then the finding families run over what
 * was kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "alibi/termtext.h"
#include "analyze_internal.h"

#define TOOL_RESULT_MAX (256u << 10)

static enum msg_role
role_of(const char *role)
{
	static const struct { const char *name; enum msg_role role; } roles[] = {
		{ "assistant", ROLE_ASSISTANT }, { "user", ROLE_USER },
		{ "system", ROLE_SYSTEM }, { "developer", ROLE_SYSTEM },
		{ "tool", ROLE_TOOL },
	};
	for (size_t i = 0; role && i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(role, roles[i].name) == 0)
			return roles[i].role;
	return ROLE_OTHER;
}

int
claim_scan_kind(const char *role)
{
	switch (role_of(role)) {
	case ROLE_ASSISTANT: return 0;
	case ROLE_USER:
	case ROLE_SYSTEM: return 1;
	default: return -1;
	}
}

static int
fail(struct actx *a, const struct alibi_error *err)
{
	if (!a->failed && err != a->err)
		*a->err = *err;
	a->failed = 1;
	return 1;
}

/* Stores the claims h found in assistant message mi. */
static void
add_claims(struct actx *a, size_t mi, struct claim_hits h)
{
	const char *msg_text = a->msgs[mi].text;
	for (size_t i = 0; i < h.count && !a->failed; i++) {
		struct claim_hit *hit = &h.items[i];
		struct strbuf text = STRBUF_INIT, object = STRBUF_INIT;
		utf8_sanitize(&text, msg_text + hit->start, (size_t)(hit->end - hit->start));
		if (hit->object)
			utf8_sanitize(&object, hit->object, strlen(hit->object));
		struct store_claim sc = {
			.message = a->msgs[mi].id, .start = hit->start, .end = hit->end,
			.kind = hit->kind, .verb = hit->verb ? verb_name(hit->verb) : NULL,
			.object = hit->object ? sb_str(&object) : NULL, .negated = hit->negated,
			.rule = hit->rule->name, .text = sb_str(&text),
		};
		if (hit->kind == ALIBI_CLAIM_VALUE && hit->value)
			sc.verb = "score";
		int64_t id = 0;
		struct alibi_error err = { 0 };
		if (store_add_claim(a->st, a->incident, &sc, &id, &err))
			fail(a, &err);
		sb_free(&text);
		sb_free(&object);
		grow_array((void **)&a->claims, sizeof *a->claims, &a->claim_cap, a->claim_count + 1);
		struct aclaim *c = &a->claims[a->claim_count++];
		memset(c, 0, sizeof *c);
		c->id = id;
		c->msg = mi;
		c->hit = *hit;
		objref_parse(hit->object, &c->obj);
	}
	/* objects and values now belong to a->claims; those of hits not
	 * stored after a failure are freed here */
	for (size_t i = a->failed ? 0 : h.count; i < h.count; i++) {
		free(h.items[i].object);
		free(h.items[i].value);
	}
	free(h.items);
}

/* Keeps the instructions h found in operator message mi. */
static void
add_instructions(struct actx *a, size_t mi, struct claim_hits h)
{
	const char *text = a->msgs[mi].text;
	for (size_t i = 0; i < h.count; i++) {
		grow_array((void **)&a->instrs, sizeof *a->instrs, &a->instr_cap, a->instr_count + 1);
		struct ainstr *in = &a->instrs[a->instr_count++];
		in->msg = mi;
		in->hit = h.items[i];
		objref_parse(in->hit.object, &in->obj);
		if (!in->obj.path_count) {
			/* "delete its checkpoints; they're under /srv/models/agent2" */
			size_t end = (size_t)in->hit.end, stop = end, len = strlen(text);
			while (stop < len && text[stop] != '\n' &&
			       !(text[stop] == '.' && (stop + 1 == len || text[stop + 1] == ' ')))
				stop++;
			objref_borrow_paths(&in->obj, text + end, stop - end);
		}
		/* "archive X to Y, then delete the originals": the object of
		 * the request before it in the same message */
		if (objref_is_vague(&in->obj) && a->instr_count > 1 &&
		    a->instrs[a->instr_count - 2].msg == mi)
			objref_borrow_sources(&in->obj, &a->instrs[a->instr_count - 2].obj);
	}
	free(h.items);
}

static int
on_message(void *ctx, const struct store_message_row *r)
{
	struct actx *a = ctx;
	grow_array((void **)&a->msgs, sizeof *a->msgs, &a->msg_cap, a->msg_count + 1);
	size_t mi = a->msg_count++;
	struct amsg *m = &a->msgs[mi];
	memset(m, 0, sizeof *m);
	m->ahead = CLAIM_SCANS_NONE;
	m->id = r->id;
	m->seq = r->seq;
	m->ts = r->m.ts;
	m->line = (int32_t)r->m.line;
	m->role = role_of(r->m.role);
	m->source = pool_intern(&a->pool, r->source_path)->s;
	if (m->ts != ALIBI_TS_NONE && a->first_msg_ts == ALIBI_TS_NONE)
		a->first_msg_ts = m->ts;
	if (!r->m.text)
		return 0;
	/* claims and instructions are taken from those found ahead, or looked
	 * for on the scans' thread while the ops are read (add_scanned) */
	int kind = claim_scan_kind(r->m.role);
	if (kind >= 0) {
		m->text = xstrdup(r->m.text);
		m->ahead = a->ahead ? claim_scans_find(a->ahead, a->rules, m->id, kind, m->text)
		                    : CLAIM_SCANS_NONE;
		if (m->ahead == CLAIM_SCANS_NONE)
			claim_scans_add(a->scans, kind, m->text);
	} else if (m->role == ROLE_TOOL) {
		values_note_tool_message(a, mi, r->m.text);
	}
	return a->failed;
}

static int
on_tool_call(void *ctx, const struct store_tool_call_row *r)
{
	struct actx *a = ctx;
	grow_array((void **)&a->tcs, sizeof *a->tcs, &a->tc_cap, a->tc_count + 1);
	struct atc *t = &a->tcs[a->tc_count++];
	memset(t, 0, sizeof *t);
	t->id = r->id;
	t->message = r->tc.message;
	t->ts = r->tc.ts;
	t->ended = r->ended;
	t->line = r->tc.line;
	t->source = pool_intern(&a->pool, r->source_path)->s;
	if (t->ts == ALIBI_TS_NONE) {
		/* the time of the message that made the call */
		for (size_t i = a->msg_count; i-- > 0;)
			if (a->msgs[i].id == t->message) {
				t->ts = a->msgs[i].ts;
				break;
			}
	}
	if (r->tc.command && *r->tc.command) {
		t->command = xstrdup(r->tc.command);
		struct strbuf n = STRBUF_INIT;
		command_normalise(r->tc.command, &n);
		t->norm = sb_detach(&n);
	}
	/* listings and ps output the agent read (findings_shutdown.c,
	 * filetimes.c); a bounded copy, a tool may print megabytes */
	if (r->result_text && *r->result_text)
		t->result = xstrndup(r->result_text, strnlen(r->result_text, TOOL_RESULT_MAX));
	values_note_tool_result(a, t, r->result_text);
	return 0;
}

static int
on_source(void *ctx, const struct store_source *src)
{
	struct actx *a = ctx;
	if (src->clock == ALIBI_CLOCK_TIME_OF_DAY)
		a->has_local_clock = 1;
	else if (src->clock == ALIBI_CLOCK_RELATIVE)
		a->has_relative_clock = 1;
	return 0;
}

/* 1 when the op plays no part in findings (it is still attributed). */
static int
op_is_noise(struct actx *a, const struct alibi_op *op, struct pent *path,
            struct pent *path2, struct pent *host)
{
	switch (op->kind) {
	case ALIBI_OP_exec:
	case ALIBI_OP_kill:
		return 0;
	case ALIBI_OP_recv:
		return 1;
	case ALIBI_OP_connect:
	case ALIBI_OP_send:
		if (!host && !path)
			return op->kind == ALIBI_OP_send;
		if (op->port >= 0 && rules_noise_port(a->rules, op->port))
			return 1;
		if (host && (host->s[0] == '/' || host->s[0] == '@'))
			return pent_class(a->rules, host, GLOB_NOISE_PATH) || host->s[0] == '@';
		return host && pent_class(a->rules, host, GLOB_NOISE_HOST);
	default:
		if (!path)
			return op->kind != ALIBI_OP_transfer;
		return pent_class(a->rules, path, GLOB_NOISE_PATH) &&
		       (!path2 || pent_class(a->rules, path2, GLOB_NOISE_PATH));
	}
}

/* The process tree an op belongs to: its tool call, else the topmost
 * ancestor the log shows (as a negative number). */
static int64_t
tree_of(struct actx *a, const struct alibi_op *op, int64_t tool_call)
{
	if (tool_call > 0)
		return tool_call;
	int32_t pid = op->pid;
	for (int depth = 0; depth < 64; depth++) {
		struct pidinfo *pi = pid_lookup(a, pid, 0);
		if (!pi || !pi->ppid || !pid_lookup(a, pi->ppid, 0))
			break;
		pid = pi->ppid;
	}
	return -(int64_t)pid - 1;
}

/* An unattributed process seen before its parent (two logs on one clock)
 * got the tree known at that moment; with every op read, each gets the
 * topmost ancestor of its whole chain, so all its ops share one tree. */
static void
settle_trees(struct actx *a)
{
	for (size_t i = 0; i < a->op_count; i++) {
		struct aop *o = &a->ops[i];
		if (!o->derived && o->tool_call <= 0) {
			struct alibi_op probe = { .pid = o->pid };
			o->tree = tree_of(a, &probe, 0);
		}
	}
}

/* Op id's tool call changed since the last analysis (only that is
 * written): it extends the last run when it follows it. */
static void
note_attribution(struct actx *a, int64_t id, int64_t tool_call)
{
	struct arun *last = a->run_count ? &a->runs[a->run_count - 1] : NULL;
	if (last && last->last + 1 == id && last->tool_call == tool_call) {
		last->last = id;
		return;
	}
	grow_array((void **)&a->runs, sizeof *a->runs, &a->run_cap, a->run_count + 1);
	a->runs[a->run_count].first = a->runs[a->run_count].last = id;
	a->runs[a->run_count].tool_call = tool_call;
	a->run_count++;
}

static int
on_op(void *ctx, const struct store_op_row *r)
{
	struct actx *a = ctx;
	const struct alibi_op *op = &r->op;
	int64_t tc = 0;
	if (op->derived) {
		a->has_derived_ops = 1;
		tc = op->tool_call;
	} else {
		a->has_syscall_ops = 1;
		a->syscall_ops++;
		attribute_op(a, r, &tc);
		if (tc > 0)
			a->attributed++;
		else
			a->unattributed++;
		if (tc != op->tool_call)
			note_attribution(a, r->id, tc);
	}
	struct pent *path = pool_intern(&a->pool, op->path);
	struct pent *path2 = pool_intern(&a->pool, op->path2);
	struct pent *host = pool_intern(&a->pool, op->host);
	if (op_is_noise(a, op, path, path2, host))
		return 0;
	grow_array((void **)&a->ops, sizeof *a->ops, &a->op_cap, a->op_count + 1);
	struct aop *o = &a->ops[a->op_count++];
	memset(o, 0, sizeof *o);
	o->id = r->id;
	o->seq = r->seq;
	o->ts = op->ts;
	o->tool_call = tc;
	o->bytes = op->bytes;
	o->line = (int32_t)op->line;
	o->path = path;
	o->path2 = path2;
	o->host = host;
	o->source = pool_intern(&a->pool, r->source_path);
	if (op->detail && (op->kind == ALIBI_OP_exec || op->kind == ALIBI_OP_utime ||
	                   op->kind == ALIBI_OP_chmod || op->kind == ALIBI_OP_kill))
		o->detail = pool_intern(&a->pool, op->detail);
	o->pid = op->pid;
	o->ppid = op->ppid;
	o->port = op->port;
	o->kind = (unsigned char)op->kind;
	o->ok = op->ok != 0 || (op->kind == ALIBI_OP_connect && op->err_name &&
	                        strcmp(op->err_name, "EINPROGRESS") == 0);
	o->derived = op->derived != 0;
	o->clock = (unsigned char)r->clock;
	o->tree = op->derived ? tc : tree_of(a, op, tc);
	return 0;
}

static int
run_cmp(const void *pa, const void *pb)
{
	const struct arun *x = pa, *y = pb;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* Writes the attribution as runs of consecutive op ids with one tool
 * call: a few statements instead of one per op.  The runs noted while the
 * ops streamed by are pieces of those (two sources interleave, ids do
 * not come in order); sorted, the pieces that touch are joined. */
static int
store_attribution(struct actx *a)
{
	if (a->run_count > 1)
		qsort(a->runs, a->run_count, sizeof *a->runs, run_cmp);
	for (size_t i = 0; i < a->run_count;) {
		size_t j = i + 1;
		while (j < a->run_count && a->runs[j].first == a->runs[j - 1].last + 1 &&
		       a->runs[j].tool_call == a->runs[i].tool_call)
			j++;
		if (store_set_ops_tool_call(a->st, a->incident, a->runs[i].first, a->runs[j - 1].last,
		                            a->runs[i].tool_call, a->err))
			return 1;
		i = j;
	}
	free(a->runs);
	a->runs = NULL;
	a->run_count = a->run_cap = 0;
	return 0;
}

/* Puts the kept ops on the incident's clock with the offset just found. */
static int
op_cmp(const void *pa, const void *pb)
{
	const struct aop *x = pa, *y = pb;
	if (x->ts != ALIBI_TS_NONE && y->ts != ALIBI_TS_NONE && x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
align_ops(struct actx *a)
{
	for (size_t i = 0; i < a->op_count; i++) {
		struct aop *o = &a->ops[i];
		if (o->ts != ALIBI_TS_NONE &&
		    (o->clock == ALIBI_CLOCK_TIME_OF_DAY || o->clock == ALIBI_CLOCK_RELATIVE))
			o->ts += a->clock_offset;
	}
	if (a->op_count > 1)
		qsort(a->ops, a->op_count, sizeof *a->ops, op_cmp);
}

/* Drops the words of objects that name nothing in this incident. */
static void
prune_objects(struct actx *a)
{
	/* the paths of the ops that count (see use_op) */
	for (size_t i = 0; i < a->op_count; i++) {
		struct aop *o = &a->ops[i];
		if (!use_op(a, o))
			continue;
		if (o->path)
			o->path->flags |= PF_SEEN;
		if (o->path2)
			o->path2->flags |= PF_SEEN;
		if (o->ok && o->path && !o->path->created_by &&
		    (o->kind == ALIBI_OP_create || o->kind == ALIBI_OP_mkdir))
			o->path->created_by = o->pid ? o->pid : -1;
	}
	const char **known;
	size_t count;
	struct pool names;
	actx_known_paths(a, &known, &count);
	pool_init(&names);
	names_of_paths(&names, known, count);
	for (size_t i = 0; i < a->claim_count; i++)
		objref_prune_names_in(&a->claims[i].obj, &names);
	for (size_t i = 0; i < a->instr_count; i++)
		objref_prune_names_in(&a->instrs[i].obj, &names);
	pool_free(&names);
	free(known);
}

static void
actx_free(struct actx *a)
{
	claim_scans_stop(a->scans);   /* first: it may still read the texts */
	for (size_t i = 0; i < a->msg_count; i++)
		free(a->msgs[i].text);
	free(a->msgs);
	for (size_t i = 0; i < a->tc_count; i++) {
		free(a->tcs[i].command);
		free(a->tcs[i].norm);
		free(a->tcs[i].result);
	}
	free(a->tcs);
	for (size_t i = 0; i < a->claim_count; i++) {
		free(a->claims[i].hit.object);
		free(a->claims[i].hit.value);
		objref_free(&a->claims[i].obj);
	}
	free(a->claims);
	for (size_t i = 0; i < a->instr_count; i++) {
		free(a->instrs[i].hit.object);
		free(a->instrs[i].hit.value);
		objref_free(&a->instrs[i].obj);
	}
	free(a->instrs);
	groups_free(a);
	values_free(a);
	free(a->ops);
	free(a->runs);
	free(a->pids);
	free(a->anchors);
	for (size_t i = 0; i < a->key_count; i++)
		free(a->keys[i]);
	free(a->keys);
	pool_free(&a->pool);
}

/* The claims and instructions of every message, in message order, as
 * the scans found them: those found ahead, or the next of the queue (the
 * others, in the same order).  A message's text is then kept only when
 * the findings may quote it (see struct amsg); the others go as soon as
 * their scan is taken, before the claims grow to take their place. */
static int
add_scanned(struct actx *a)
{
	size_t queued = 0;
	int spoke = 0;
	for (size_t mi = 0; mi < a->msg_count && !a->failed; mi++) {
		struct amsg *m = &a->msgs[mi];
		if (!m->text)
			continue;
		struct claim_hits h = { 0 };
		int instructions;
		if (m->ahead != CLAIM_SCANS_NONE)
			claim_scans_take(a->ahead, a->rules, m->ahead, &h, &instructions);
		else
			claim_scans_take(a->scans, a->rules, queued++, &h, &instructions);
		size_t found = a->claim_count + a->instr_count;
		if (instructions)
			add_instructions(a, mi, h);
		else
			add_claims(a, mi, h);
		if (a->claim_count + a->instr_count > found)
			continue;
		if (!spoke && m->role == ROLE_ASSISTANT && *m->text) {
			spoke = 1;
			continue;
		}
		free(m->text);
		m->text = NULL;
	}
	claim_scans_stop(a->scans);   /* the queue goes too */
	a->scans = NULL;
	if (a->ahead && !a->failed)
		claim_scans_forget_taken(a->ahead);
	return a->failed;
}

static int
run(struct actx *a)
{
	struct alibi_error *err = a->err;
	a->scans = claim_scans_start(a->rules);
	if (store_clear_findings(a->st, a->incident, err) ||
	    store_each_source(a->st, a->incident, on_source, a, err) ||
	    store_each_message(a->st, a->incident, on_message, a, err) || a->failed ||
	    store_each_tool_call(a->st, a->incident, on_tool_call, a, err) ||
	    store_each_op(a->st, a->incident, on_op, a, err) || a->failed ||
	    store_attribution(a) || add_scanned(a))
		return 1;
	settle_trees(a);
	if (clock_resolve_zone(a))
		return 1;
	clock_estimate(a);
	if (store_incident_set_clock(a->st, a->incident, a->clock_offset, a->clock_note, err))
		return 1;
	align_ops(a);
	prune_objects(a);
	mark_paths(a);
	deviation_mark(a);
	groups_exfiltration(a);
	groups_preservation(a);
	int (*families[])(struct actx *) = {
		findings_exfiltration, findings_preservation, findings_false_report,
		findings_false_denial, findings_evidence_tampering, findings_intent_mismatch,
		findings_undisclosed, findings_refusal, findings_misreported_value,
		findings_shutdown_tampering, findings_instruction_deviation,
	};
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		if (families[i](a) || a->failed)
			return 1;
	return 0;
}

int
analyze_incident(struct store *st, int64_t incident, const struct rules *rules,
                 const struct analyze_options *opt, struct analyze_summary *sum,
                 struct alibi_error *err)
{
	struct rules *own = NULL;
	if (!rules) {
		if (rules_load_default(&own, err))
			return err->code;
		rules = own;
	}
	struct actx a;
	memset(&a, 0, sizeof a);
	a.st = st;
	a.incident = incident;
	a.rules = rules;
	a.opt = opt;
	a.ahead = opt ? opt->ahead : NULL;
	a.err = err;
	a.first_msg_ts = ALIBI_TS_NONE;
	pool_init(&a.pool);
	int rc = store_begin(st, err);
	if (!rc) {
		if (run(&a)) {
			store_rollback(st);
			rc = err->code ? err->code : ALIBI_EINTERNAL;
		} else {
			rc = store_commit(st, err);
		}
	}
	if (!rc && sum) {
		memset(sum, 0, sizeof *sum);
		sum->claims = (int64_t)a.claim_count;
		sum->findings = a.finding_count;
		sum->attributed_ops = a.attributed;
		sum->unattributed_ops = a.unattributed;
		sum->clock_offset_us = a.clock_offset;
		snprintf(sum->clock_note, sizeof sum->clock_note, "%s", a.clock_note);
	}
	actx_free(&a);
	rules_free(own);
	return rc;
}
