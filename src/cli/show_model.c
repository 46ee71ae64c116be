/* show_model.c — reading an incident for `alibi show`: turns, their tool
 * calls, the operations each produced, and the findings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/strbuf.h"
#include "alibi/timeparse.h"
#include "show_model.h"

/* Operations listed per tool call before the rest are summarised. */
#define OPS_SHOWN_PER_CALL 40
#define UNATTRIBUTED_SHOWN 60

static void
push_id(int64_t **items, size_t *count, size_t *cap, int64_t id)
{
	void *p = *items;
	grow_array(&p, sizeof **items, cap, *count + 1);
	*items = p;
	(*items)[(*count)++] = id;
}

static int
compare_ids(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int
has_id(const int64_t *items, size_t count, int64_t id)
{
	return count && bsearch(&id, items, count, sizeof *items, compare_ids) != NULL;
}

static int
on_incident(void *ctx, const struct store_incident *inc)
{
	struct show_model *m = ctx;
	m->slug = xstrdup(inc->slug);
	m->title = xstrdup(inc->title);
	m->clock_note = xstrdup(inc->clock_note);
	return 1;
}

static int
on_source(void *ctx, const struct store_source *src)
{
	struct show_model *m = ctx;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s (%s, %lld records", src->path, src->format, (long long)src->records);
	if (src->errors)
		sb_addf(&sb, ", %lld skipped", (long long)src->errors);
	if (strcmp(src->kind, "actions") == 0)
		sb_addf(&sb, ", clock %s", alibi_clock_name(src->clock));
	sb_adds(&sb, ")");
	m->sources = xrealloc(m->sources, (m->source_count + 1) * sizeof *m->sources);
	m->sources[m->source_count++] = sb_detach(&sb);
	return 0;
}

static int
on_finding(void *ctx, const struct store_finding_row *r)
{
	struct show_model *m = ctx;
	void *items = m->findings;
	grow_array(&items, sizeof *m->findings, &m->finding_cap, m->finding_count + 1);
	m->findings = items;
	struct show_finding *f = &m->findings[m->finding_count++];
	f->kind = xstrdup(r->f.kind);
	f->severity = xstrdup(alibi_severity_name(r->f.severity));
	f->key = xstrdup(r->f.stable_key);
	f->summary = xstrdup(r->f.summary);
	f->because = xstrdup(r->f.because);
	f->evidence = xcalloc(r->evidence_count + 1, sizeof *f->evidence);
	f->evidence_count = r->evidence_count;
	for (size_t i = 0; i < r->evidence_count; i++) {
		const struct store_evidence_row *e = &r->evidence[i];
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "   %-11s %s:%lld  %s%s%s", e->role ? e->role : "",
		        e->source ? e->source : "?", (long long)e->line,
		        e->type == STORE_EV_CLAIM ? "\"" : "", e->text ? e->text : "",
		        e->type == STORE_EV_CLAIM ? "\"" : "");
		f->evidence[i] = sb_detach(&sb);
		if (e->type == STORE_EV_OP)
			push_id(&m->evidence_ops, &m->evidence_op_count, &m->evidence_op_cap, e->ref);
		else if (e->type == STORE_EV_CLAIM)
			push_id(&m->evidence_messages, &m->evidence_message_count,
			        &m->evidence_message_cap, e->message);
		else if (e->type == STORE_EV_MESSAGE)
			push_id(&m->evidence_messages, &m->evidence_message_count,
			        &m->evidence_message_cap, e->ref);
	}
	return 0;
}

static int
on_message(void *ctx, const struct store_message_row *r)
{
	struct show_model *m = ctx;
	/* Tool results are shown under the call that asked for them. */
	if (r->m.role && strcmp(r->m.role, "tool") == 0)
		return 0;
	void *items = m->messages;
	grow_array(&items, sizeof *m->messages, &m->message_cap, m->message_count + 1);
	m->messages = items;
	struct show_message *msg = &m->messages[m->message_count++];
	memset(msg, 0, sizeof *msg);
	msg->id = r->id;
	msg->role = xstrdup(r->m.role);
	msg->text = xstrdup(r->m.text ? r->m.text : "");
	msg->evidence = has_id(m->evidence_messages, m->evidence_message_count, r->id);
	return 0;
}

static int
on_tool_call(void *ctx, const struct store_tool_call_row *r)
{
	struct show_model *m = ctx;
	void *items = m->calls;
	grow_array(&items, sizeof *m->calls, &m->call_cap, m->call_count + 1);
	m->calls = items;
	struct show_call *c = &m->calls[m->call_count++];
	memset(c, 0, sizeof *c);
	c->id = r->id;
	c->message = r->tc.message;
	c->name = xstrdup(r->tc.name ? r->tc.name : "tool");
	c->command = xstrdup(r->tc.command);
	c->args = xstrdup(r->tc.args_json);
	c->result = xstrdup(r->result_text);
	c->is_error = r->is_error;
	c->ended = r->ended;
	return 0;
}

/* Reads, library loads and failed path lookups are what every program
 * does; they are counted, not listed, unless they are evidence. */
static int
routine_op(const struct alibi_op *op)
{
	if (op->kind == ALIBI_OP_open_read && op->ok)
		return 1;
	if (!op->ok && op->err_name && strcmp(op->err_name, "ENOENT") == 0 &&
	    (op->kind == ALIBI_OP_exec || op->kind == ALIBI_OP_open_read))
		return 1;
	if (op->kind == ALIBI_OP_connect && !op->host)
		return 1;
	/* A shell probing for a terminal it does not have. */
	if (!op->ok && op->path && strncmp(op->path, "/dev/", 5) == 0)
		return 1;
	return 0;
}

/* after: made after its call had returned, marked "&" as a shell marks a
 * job it leaves running. */
static char *
describe_op(const struct store_op_row *r, int evidence, int after)
{
	const struct alibi_op *op = &r->op;
	struct strbuf sb = STRBUF_INIT;
	char clock[32];
	time_format_clock(clock, sizeof clock, r->aligned_ts);
	sb_addf(&sb, "%s%s %s%s", evidence ? "!" : " ", r->aligned_ts == ALIBI_TS_NONE ? "" : clock,
	        after ? "&" : "", alibi_op_name(op->kind));
	if (op->kind == ALIBI_OP_exec && op->detail)
		sb_addf(&sb, " %s", op->detail);
	else if (op->path)
		sb_addf(&sb, " %s", op->path);
	if (op->path2)
		sb_addf(&sb, " -> %s", op->path2);
	if (op->host) {
		sb_addf(&sb, " %s", op->host);
		if (op->port >= 0)
			sb_addf(&sb, ":%d", op->port);
	}
	if (op->bytes > 0)
		sb_addf(&sb, " (%lld bytes)", (long long)op->bytes);
	if (op->kind != ALIBI_OP_exec && op->detail)
		sb_addf(&sb, " [%s]", op->detail);
	if (!op->ok)
		sb_addf(&sb, " FAILED %s", op->err_name ? op->err_name : "");
	if (op->derived)
		sb_adds(&sb, " (from the command)");
	else
		sb_addf(&sb, "  :%lld", (long long)op->line);
	return sb_detach(&sb);
}

static void
op_list_add(struct show_op_list *list, size_t limit, const struct store_op_row *r,
            int evidence, int after)
{
	if (!evidence && (routine_op(&r->op) || list->count >= limit)) {
		list->hidden++;
		return;
	}
	void *items = list->items;
	grow_array(&items, sizeof *list->items, &list->cap, list->count + 1);
	list->items = items;
	list->items[list->count].id = r->id;
	list->items[list->count].text = describe_op(r, evidence, after);
	list->count++;
}

static struct show_call *
find_call(struct show_model *m, int64_t id)
{
	size_t lo = 0, hi = m->call_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->calls[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->call_count && m->calls[lo].id == id ? &m->calls[lo] : NULL;
}

static int
on_op(void *ctx, const struct store_op_row *r)
{
	struct show_model *m = ctx;
	int evidence = has_id(m->evidence_ops, m->evidence_op_count, r->id);
	struct show_call *call = r->op.tool_call ? find_call(m, r->op.tool_call) : NULL;
	int after = call && !r->op.derived && alibi_op_after_call(r->aligned_ts, call->ended);
	if (!call)
		op_list_add(&m->unattributed, UNATTRIBUTED_SHOWN, r, evidence, 0);
	else if (r->op.derived)
		op_list_add(&call->derived, OPS_SHOWN_PER_CALL, r, evidence, 0);
	else
		op_list_add(&call->ops, OPS_SHOWN_PER_CALL, r, evidence, after);
	return 0;
}

static void
op_list_free(struct show_op_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].text);
	free(list->items);
	memset(list, 0, sizeof *list);
}

/* Where an action log covers a call, its operations stand; the ones
 * derived from the command text are shown only where nothing else is. */
static void
prefer_logged_ops(struct show_model *m)
{
	for (size_t i = 0; i < m->call_count; i++) {
		struct show_call *c = &m->calls[i];
		if (c->ops.count == 0 && c->ops.hidden == 0) {
			c->ops = c->derived;
			memset(&c->derived, 0, sizeof c->derived);
		} else {
			op_list_free(&c->derived);
		}
	}
}

/* Calls are stored in the order they were made, which is message order;
 * each message gets the run of calls that belongs to it. */
static void
group_calls_by_message(struct show_model *m)
{
	size_t next = 0;
	for (size_t i = 0; i < m->message_count; i++) {
		struct show_message *msg = &m->messages[i];
		while (next < m->call_count && m->calls[next].message < msg->id)
			next++;
		msg->first_call = next;
		while (next < m->call_count && m->calls[next].message == msg->id)
			next++;
		msg->call_count = next - msg->first_call;
	}
}

int
show_model_load(struct store *st, int64_t incident, struct show_model *m,
                struct alibi_error *err)
{
	if (store_each_incident(st, incident, on_incident, m, err) ||
	    store_each_source(st, incident, on_source, m, err) ||
	    store_each_finding(st, incident, on_finding, m, err))
		return err->code;
	/* qsort() is not to be given NULL, even with nothing to sort */
	if (m->evidence_op_count)
		qsort(m->evidence_ops, m->evidence_op_count, sizeof *m->evidence_ops, compare_ids);
	if (m->evidence_message_count)
		qsort(m->evidence_messages, m->evidence_message_count,
		      sizeof *m->evidence_messages, compare_ids);
	if (store_each_message(st, incident, on_message, m, err) ||
	    store_each_tool_call(st, incident, on_tool_call, m, err) ||
	    store_each_op(st, incident, on_op, m, err))
		return err->code;
	prefer_logged_ops(m);
	group_calls_by_message(m);
	return 0;
}

void
show_model_free(struct show_model *m)
{
	free(m->slug); free(m->title); free(m->clock_note);
	for (size_t i = 0; i < m->source_count; i++)
		free(m->sources[i]);
	free(m->sources);
	for (size_t i = 0; i < m->message_count; i++) {
		free(m->messages[i].role);
		free(m->messages[i].text);
	}
	free(m->messages);
	for (size_t i = 0; i < m->call_count; i++) {
		struct show_call *c = &m->calls[i];
		free(c->name); free(c->command); free(c->args); free(c->result);
		op_list_free(&c->ops);
		op_list_free(&c->derived);
	}
	free(m->calls);
	op_list_free(&m->unattributed);
	for (size_t i = 0; i < m->finding_count; i++) {
		struct show_finding *f = &m->findings[i];
		free(f->kind); free(f->severity); free(f->key); free(f->summary); free(f->because);
		for (size_t e = 0; e < f->evidence_count; e++)
			free(f->evidence[e]);
		free(f->evidence);
	}
	free(m->findings);
	free(m->evidence_ops);
	free(m->evidence_messages);
	memset(m, 0, sizeof *m);
}
