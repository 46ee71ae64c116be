/* jsonrec.c — reading JSON records (see alibi/jsonrec.h).
 *
 * cJSON parses one value at a time from a position in the text
 * (cJSON_ParseWithLengthOpts with return_parse_end), so an array is read
 * element by element: a broken element costs that element, not the file,
 * and line numbers come from counting newlines between positions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/jsonrec.h"
#include "alibi/linereader.h"

/* A window on a file: an array document is read through it, element by
 * element, instead of whole (see more()). */
struct window {
	FILE *fp;
	char *mem;
	size_t cap;
	int eof;              /* the file has no more */
	int too_long;         /* an element would not fit in JSONREC_MAX_DOCUMENT */
};

/* A position in a text held in memory, or in a window's part of a file. */
struct cursor {
	const char *buf;
	size_t len;
	size_t pos;
	int64_t line;         /* line of buf[pos], 1-based */
	size_t line_start;    /* where that line starts */
	const struct jsonrec_handler *h;
	int stopped;          /* the handler asked to stop */
	struct window *w;     /* NULL: buf holds the whole text */
};

/* The window's starting size; it grows to hold a longer element. */
static size_t window_start = (size_t)1 << 20;

void
jsonrec_window_size(size_t bytes)
{
	window_start = bytes ? bytes : (size_t)1 << 20;
}

/* Reads more of the file into the window: what is before the cursor's
 * line is dropped (nothing looks further back), the rest moves to the
 * front, and the window grows when that leaves no room.  *shift gets how
 * far positions moved back.  Returns 0 when there is no more to read. */
static int
more(struct cursor *c, size_t *shift)
{
	struct window *w = c->w;
	*shift = 0;
	if (!w || w->eof)
		return 0;
	size_t drop = c->line_start;
	memmove(w->mem, w->mem + drop, c->len - drop);
	c->len -= drop;
	c->pos -= drop;
	c->line_start = 0;
	*shift = drop;
	if (c->len == w->cap) {
		if (w->cap >= JSONREC_MAX_DOCUMENT) {
			w->too_long = 1;
			w->eof = 1;
			return 0;
		}
		w->cap *= 2;
		w->mem = xrealloc(w->mem, w->cap);
	}
	size_t n = fread(w->mem + c->len, 1, w->cap - c->len, w->fp);
	c->len += n;
	c->buf = w->mem;
	if (n == 0)
		w->eof = 1;
	return n != 0;
}

static void
advance_to(struct cursor *c, size_t to)
{
	if (to > c->len)
		to = c->len;
	while (c->pos < to) {
		const char *nl = memchr(c->buf + c->pos, '\n', to - c->pos);
		if (!nl)
			break;
		c->line++;
		c->pos = (size_t)(nl - c->buf) + 1;
		c->line_start = c->pos;
	}
	if (to > c->pos)
		c->pos = to;
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static void
skip_space(struct cursor *c)
{
	size_t shift;
	do {
		size_t p = c->pos;
		while (p < c->len && is_space(c->buf[p]))
			p++;
		advance_to(c, p);
	} while (c->pos >= c->len && more(c, &shift));
}

static const char *
type_name(const cJSON *item)
{
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsNull(item))
		return "null";
	return "not an object";
}

static void
report(const struct jsonrec_handler *h, int64_t line, const char *problem)
{
	if (h->bad)
		h->bad(h->ctx, line, problem);
}

static int
deliver_one(const struct jsonrec_handler *h, const cJSON *item, int64_t line)
{
	if (!cJSON_IsObject(item)) {
		char problem[80];
		snprintf(problem, sizeof problem, "record is not a JSON object (%s)", type_name(item));
		report(h, line, problem);
		return 0;
	}
	return h->record ? h->record(h->ctx, item, line) : 0;
}

/* {"role": "system", "content": value}: the top-level system prompt of
 * a request body, as a record like the others. */
static int
deliver_system(const struct jsonrec_handler *h, const cJSON *value, int64_t line)
{
	cJSON *rec = cJSON_CreateObject();
	cJSON *copy = cJSON_Duplicate(value, 1);
	if (!rec || !copy) {
		cJSON_Delete(rec);
		cJSON_Delete(copy);
		return 0;
	}
	cJSON_AddStringToObject(rec, "role", "system");
	cJSON_AddItemToObject(rec, "content", copy);
	int stop = h->record ? h->record(h->ctx, rec, line) : 0;
	cJSON_Delete(rec);
	return stop;
}

/* A JSON line that is an object with "messages" and no "role" holds a
 * whole conversation (fine-tuning files are made of these). */
static int
deliver(const struct jsonrec_handler *h, const cJSON *item, int64_t line)
{
	const cJSON *messages = cJSON_GetObjectItemCaseSensitive(item, "messages");
	if (!cJSON_IsObject(item) || !cJSON_IsArray(messages) ||
	    cJSON_GetObjectItemCaseSensitive(item, "role"))
		return deliver_one(h, item, line);
	const cJSON *system = cJSON_GetObjectItemCaseSensitive(item, "system");
	if (system && !cJSON_IsNull(system) && deliver_system(h, system, line))
		return 1;
	const cJSON *m;
	cJSON_ArrayForEach(m, messages)
		if (deliver_one(h, m, line))
			return 1;
	return 0;
}

/* Index just past the JSON value at p, found without building it; 0 when
 * the text ends first.  Only used to step over members we do not want. */
static size_t
skip_value(const char *buf, size_t len, size_t p)
{
	int depth = 0;
	while (p < len) {
		char ch = buf[p];
		if (ch == '"') {
			for (p++; p < len && buf[p] != '"'; p++)
				if (buf[p] == '\\')
					p++;
			if (p >= len)
				return 0;
		} else if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			if (--depth < 0)
				return p;
		} else if ((ch == ',' || is_space(ch)) && depth == 0) {
			return p;
		}
		p++;
		if (depth == 0 && (ch == '"' || ch == '}' || ch == ']'))
			return p;
	}
	return depth == 0 ? p : 0;
}

/* "invalid JSON near line 12 column 5" (cJSON tells where it gave up,
 * give or take a character) or "... the text ends inside the record". */
static void
report_invalid(const struct jsonrec_handler *h, int64_t line, const char *buf,
               size_t start, size_t len, const char *err_at)
{
	char problem[160];
	size_t at = err_at && err_at >= buf + start && err_at <= buf + len ?
	            (size_t)(err_at - buf) : len;
	size_t rest = at;
	while (rest < len && is_space(buf[rest]))
		rest++;
	if (at + 1 >= len || rest >= len || skip_value(buf, len, start) == 0) {
		snprintf(problem, sizeof problem, "invalid JSON: the text ends inside the record");
	} else {
		int64_t err_line = line;
		size_t col_start = start;
		while (col_start > 0 && buf[col_start - 1] != '\n')
			col_start--;
		for (size_t k = start; k < at; k++)
			if (buf[k] == '\n') {
				err_line++;
				col_start = k + 1;
			}
		snprintf(problem, sizeof problem, "invalid JSON near line %lld column %zu",
		         (long long)err_line, at - col_start + 1);
	}
	report(h, line, problem);
}

/* Could a line starting with ch begin an array element? */
static int
opens_value(char ch)
{
	return ch == '{' || ch == '[' || ch == '"' || ch == '-' || (ch >= '0' && ch <= '9') ||
	       ch == 't' || ch == 'f' || ch == 'n';
}

/* After a broken element that began at start: moves to the next line that
 * opens a value at the same indentation (or closes the array), so the
 * elements after it are read; pretty-printers indent an element's insides
 * deeper.  In an array written on one line, only a line opening an object
 * will do.  Returns 0 at the end of the text. */
static int
resync(struct cursor *c, size_t start, size_t indent, int began_line)
{
	size_t p = start, shift;   /* where to look for the next line from */
	int at_line = 0;           /* p is the start of a line to judge */
	for (;;) {
		if (!at_line) {
			const char *nl = memchr(c->buf + p, '\n', c->len - p);
			if (!nl) {
				/* what is before the window's end is passed over */
				advance_to(c, c->len);
				p = c->len;
				if (!more(c, &shift))
					return 0;
				p -= shift;
				continue;
			}
			p = (size_t)(nl - c->buf) + 1;
			at_line = 1;
		}
		size_t q = p;
		while (q < c->len && (c->buf[q] == ' ' || c->buf[q] == '\t'))
			q++;
		if (q >= c->len && c->w && !c->w->eof) {
			advance_to(c, p);   /* the line goes on past the window: read on */
			more(c, &shift);
			p -= shift;
			continue;
		}
		char ch = q < c->len ? c->buf[q] : '\0';
		if (began_line ? (q - p == indent && opens_value(ch)) || (ch == ']' && q - p < indent)
		               : ch == '{') {
			advance_to(c, q);
			return 1;
		}
		at_line = 0;
	}
}

/* One array element at c->pos.  Returns 1 when it was read, 0 when it
 * was broken. */
static int
read_element(struct cursor *c)
{
	size_t start = c->pos, indent = start - c->line_start;
	int64_t line = c->line;
	int began_line = 1;   /* nothing but blanks before it on its line */
	for (size_t k = c->line_start; k < start && began_line; k++)
		if (c->buf[k] != ' ' && c->buf[k] != '\t')
			began_line = 0;
	const char *end = NULL;
	cJSON *item;
	for (;;) {
		item = cJSON_ParseWithLengthOpts(c->buf + start, c->len - start, &end, 0);
		/* In a window, an element cut by its edge is read again with
		 * more of the file; one broken inside it is broken. */
		size_t shift, stop = item ? 0 : skip_value(c->buf, c->len, start);
		if (!c->w || c->w->eof ||
		    (item ? end && end < c->buf + c->len : stop != 0 && stop < c->len))
			break;
		cJSON_Delete(item);
		more(c, &shift);   /* at the end of the file, what there is is parsed once more */
		start -= shift;
	}
	if (item) {
		c->stopped = deliver_one(c->h, item, line);
		cJSON_Delete(item);
		advance_to(c, end ? (size_t)(end - c->buf) : c->len);
		return 1;
	}
	report_invalid(c->h, line, c->buf, start, c->len, end);
	resync(c, start, indent, began_line);
	return 0;
}

/* The array whose '[' is at c->pos. */
static void
read_array(struct cursor *c)
{
	int last_broken = 0;
	advance_to(c, c->pos + 1);
	while (!c->stopped) {
		skip_space(c);
		if (c->pos >= c->len) {
			if (!last_broken)
				report(c->h, c->line, "invalid JSON: the array is not closed (truncated file?)");
			return;
		}
		char ch = c->buf[c->pos];
		if (ch == ']') {
			advance_to(c, c->pos + 1);
			return;
		}
		if (ch == ',') {
			advance_to(c, c->pos + 1);
			continue;
		}
		last_broken = !read_element(c);
	}
}

static int read_line(const struct jsonrec_handler *h, const char *text, size_t len,
                     int64_t line);

static void
read_lines_in_memory(const char *buf, size_t len, const struct jsonrec_handler *h)
{
	size_t p = 0;
	for (int64_t line = 1; p < len; line++) {
		const char *nl = memchr(buf + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - buf) : len;
		if (read_line(h, buf + p, end - p, line))
			return;
		p = end + 1;
	}
}

/* A file whose first line is a JSON line broken at its very end looks
 * like the start of a pretty-printed object; the next non-empty line
 * holding a whole object tells them apart. */
static int
second_line_is_record(const char *buf, size_t len, size_t start)
{
	const char *nl = memchr(buf + start, '\n', len - start);
	while (nl) {
		size_t p = (size_t)(nl - buf) + 1;
		nl = memchr(buf + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - buf) : len;
		while (p < end && is_space(buf[p]))
			p++;
		while (end > p && is_space(buf[end - 1]))
			end--;
		if (p == end)
			continue;
		const char *stop = NULL;
		cJSON *item = cJSON_ParseWithLengthOpts(buf + p, end - p, &stop, 0);
		int whole = cJSON_IsObject(item) && stop == buf + end;
		cJSON_Delete(item);
		return whole;
	}
	return 0;
}

/* What a top-level object holds that matters here. */
struct members {
	size_t messages_at;       /* the '[' of "messages"; 0 when none */
	int64_t messages_line;
	size_t messages_line_start;
	cJSON *system;            /* "system", when asked for */
	int64_t system_line;
};

/* Steps over the members of the object whose '{' is at c->pos, noting
 * "messages" and "system"; stops early where the text is broken. */
static void
scan_members(struct cursor *c, struct members *m, int want_system)
{
	memset(m, 0, sizeof *m);
	advance_to(c, c->pos + 1);
	for (;;) {
		skip_space(c);
		if (c->pos >= c->len || c->buf[c->pos] == '}')
			return;
		if (c->buf[c->pos] == ',') {
			advance_to(c, c->pos + 1);
			continue;
		}
		if (c->buf[c->pos] != '"')
			return;
		const char *end = NULL;
		cJSON *key = cJSON_ParseWithLengthOpts(c->buf + c->pos, c->len - c->pos, &end, 0);
		int is_key = cJSON_IsString(key);
		int is_messages = is_key && strcmp(key->valuestring, "messages") == 0;
		int is_system = is_key && strcmp(key->valuestring, "system") == 0;
		cJSON_Delete(key);
		if (!is_key)
			return;
		advance_to(c, (size_t)(end - c->buf));
		skip_space(c);
		if (c->pos >= c->len || c->buf[c->pos] != ':')
			return;
		advance_to(c, c->pos + 1);
		skip_space(c);
		if (is_messages && c->pos < c->len && c->buf[c->pos] == '[') {
			m->messages_at = c->pos;
			m->messages_line = c->line;
			m->messages_line_start = c->line_start;
		} else if (is_system && want_system && !m->system) {
			m->system_line = c->line;
			m->system = cJSON_ParseWithLengthOpts(c->buf + c->pos, c->len - c->pos, NULL, 0);
		}
		size_t next = skip_value(c->buf, c->len, c->pos);
		if (next == 0)
			return;
		advance_to(c, next);
	}
}

static void
goto_messages(struct cursor *c, const struct members *m)
{
	c->pos = m->messages_at;
	c->line = m->messages_line;
	c->line_start = m->messages_line_start;
}

/* The object whose '{' is at c->pos: its "messages" array, read element
 * by element, and "system"; an object without "messages" is one record. */
static void
read_object(struct cursor *c)
{
	size_t obj_start = c->pos;
	int64_t obj_line = c->line;
	struct members m;
	scan_members(c, &m, 1);
	if (!m.messages_at) {
		/* no conversation inside: the object itself is the one record */
		const char *end = NULL;
		cJSON *item = cJSON_ParseWithLengthOpts(c->buf + obj_start, c->len - obj_start, &end, 0);
		if (item)
			deliver_one(c->h, item, obj_line);
		else if (second_line_is_record(c->buf, c->len, obj_start))
			read_lines_in_memory(c->buf, c->len, c->h);   /* JSON lines after all */
		else
			report_invalid(c->h, obj_line, c->buf, obj_start, c->len, end);
		cJSON_Delete(item);
		cJSON_Delete(m.system);
		return;
	}
	if (m.system && !cJSON_IsNull(m.system))
		c->stopped = deliver_system(c->h, m.system, m.system_line);
	cJSON_Delete(m.system);
	goto_messages(c, &m);
	if (!c->stopped)
		read_array(c);
}

/* One JSON line (without its newline). */
static int
read_line(const struct jsonrec_handler *h, const char *text, size_t len, int64_t line)
{
	if (line == 1 && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	while (len && is_space(text[len - 1]))
		len--;
	size_t start = 0;
	while (start < len && is_space(text[start]))
		start++;
	if (start == len)
		return 0;
	const char *end = NULL;
	cJSON *item = cJSON_ParseWithLengthOpts(text + start, len - start, &end, 0);
	if (!item) {
		report_invalid(h, line, text, start, len, end);
		return 0;
	}
	size_t after = end ? (size_t)(end - text) : len;
	while (after < len && is_space(text[after]))
		after++;
	int stop = 0;
	if (after < len)
		report(h, line, "invalid JSON: text after the end of the record");
	else
		stop = deliver(h, item, line);
	cJSON_Delete(item);
	return stop;
}

enum layout { LAYOUT_EMPTY, LAYOUT_ARRAY, LAYOUT_OBJECT, LAYOUT_LINES };

/* What the text's first bytes say.  "{" opens JSON lines when the first
 * line holds a whole value, or one broken in its middle (a bad first
 * record); an object left open at the end of its first line is a
 * pretty-printed document. */
static enum layout
detect_layout(const char *head, size_t len, size_t *first)
{
	size_t p = 0;
	if (len >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
		p = 3;
	while (p < len && is_space(head[p]))
		p++;
	*first = p;
	if (p >= len)
		return LAYOUT_EMPTY;
	if (head[p] == '[')
		return LAYOUT_ARRAY;
	if (head[p] != '{')
		return LAYOUT_LINES;   /* every line will be reported */
	const char *nl = memchr(head + p, '\n', len - p);
	if (!nl)
		return LAYOUT_LINES;
	size_t n = (size_t)(nl - (head + p));
	while (n && is_space(head[p + n - 1]))
		n--;
	const char *end = NULL;
	cJSON *item = cJSON_ParseWithLengthOpts(head + p, n, &end, 0);
	cJSON_Delete(item);
	if (item)
		return LAYOUT_LINES;
	return end && end < head + p + n - 1 ? LAYOUT_LINES : LAYOUT_OBJECT;
}

static void
read_document(const char *buf, size_t len, enum layout layout, size_t first,
              const struct jsonrec_handler *h, struct window *w)
{
	struct cursor c = { buf, len, 0, 1, 0, h, 0, w };
	advance_to(&c, first);
	if (layout == LAYOUT_ARRAY)
		read_array(&c);
	else
		read_object(&c);
	if (c.stopped || layout != LAYOUT_ARRAY)
		return;
	skip_space(&c);
	if (c.pos < c.len)
		report(h, c.line, "invalid JSON: text after the end of the array");
}

static void
read_buffer(const char *buf, size_t len, const struct jsonrec_handler *h)
{
	size_t first = 0;
	enum layout layout = detect_layout(buf, len, &first);
	if (layout == LAYOUT_LINES)
		read_lines_in_memory(buf, len, h);
	else if (layout != LAYOUT_EMPTY)
		read_document(buf, len, layout, first, h, NULL);
}

/* ---- one reading of a head, shared by the detectors ---- */

/* What reading the shared buffer gave a handler, in order: a record (a
 * copy) or a problem. */
struct shared_event {
	cJSON *record;
	char *problem;
	int64_t line;
};

/* Per thread: detection runs wherever an import does. */
static _Thread_local struct {
	const char *buf;
	size_t len;
	int active;
	int read;                   /* events holds the reading */
	int failed;                 /* a copy failed: read anew each time */
	struct shared_event *events;
	size_t count, cap;
} shared;

static struct shared_event *
shared_push(int64_t line)
{
	void *v = shared.events;
	grow_array(&v, sizeof *shared.events, &shared.cap, shared.count + 1);
	shared.events = v;
	struct shared_event *e = &shared.events[shared.count++];
	memset(e, 0, sizeof *e);
	e->line = line;
	return e;
}

static int
keep_record(void *ctx, const cJSON *rec, int64_t line)
{
	(void)ctx;
	cJSON *copy = cJSON_Duplicate(rec, 1);
	if (!copy)
		shared.failed = 1;
	else
		shared_push(line)->record = copy;
	return 0;
}

static void
keep_problem(void *ctx, int64_t line, const char *problem)
{
	(void)ctx;
	shared_push(line)->problem = xstrdup(problem);
}

/* Hands h what reading the buffer handed the recorder, stopping where h
 * asks to, as reading it would have. */
static void
replay_shared(const struct jsonrec_handler *h)
{
	for (size_t i = 0; i < shared.count; i++) {
		const struct shared_event *e = &shared.events[i];
		if (e->problem)
			report(h, e->line, e->problem);
		else if (h->record && h->record(h->ctx, e->record, e->line))
			return;
	}
}

static void
forget_shared(void)
{
	for (size_t i = 0; i < shared.count; i++) {
		cJSON_Delete(shared.events[i].record);
		free(shared.events[i].problem);
	}
	free(shared.events);
	memset(&shared, 0, sizeof shared);
}

void
jsonrec_share_begin(const char *buf, size_t len)
{
	forget_shared();
	shared.buf = buf;
	shared.len = len;
	shared.active = 1;
}

void
jsonrec_share_end(void)
{
	forget_shared();
}

void
jsonrec_read_buffer(const char *buf, size_t len, const struct jsonrec_handler *h)
{
	if (!shared.active || buf != shared.buf || len != shared.len) {
		read_buffer(buf, len, h);
		return;
	}
	if (!shared.read) {
		struct jsonrec_handler keep = { NULL, keep_record, keep_problem };
		read_buffer(buf, len, &keep);
		shared.read = 1;
	}
	if (shared.failed)
		read_buffer(buf, len, h);
	else
		replay_shared(h);
}

static int
read_lines_from_file(const struct ingest_input *in, const struct jsonrec_handler *h,
                     struct alibi_error *err)
{
	struct linereader lr;
	const char *line;
	linereader_init(&lr, in->fp, JSONREC_MAX_LINE);
	while ((line = linereader_next(&lr)) != NULL) {
		if (lr.truncated) {
			report(h, lr.lineno, "line longer than 512 MiB");
			continue;
		}
		if (read_line(h, line, lr.len, lr.lineno))
			break;
	}
	int failed = ferror(in->fp);
	linereader_free(&lr);
	if (failed)
		return alibi_error_set(err, ALIBI_EIO, "%s: read error", in->path);
	return 0;
}

static int
too_big(const struct ingest_input *in, struct alibi_error *err)
{
	return alibi_error_set(err, ALIBI_EFORMAT,
	                       "%s: a JSON document larger than %zu MiB is not read into memory; "
	                       "convert it to JSON lines (one message a line)",
	                       in->path, JSONREC_MAX_DOCUMENT >> 20);
}

static int
slurp(const struct ingest_input *in, char **out, size_t *out_len, struct alibi_error *err)
{
	size_t cap = in->size && in->size < JSONREC_MAX_DOCUMENT ? (size_t)in->size + 1 : 1 << 16;
	size_t len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap > JSONREC_MAX_DOCUMENT)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t n = fread(buf + len, 1, cap - len, in->fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(in->fp)) {
		free(buf);
		return alibi_error_set(err, ALIBI_EIO, "%s: read error", in->path);
	}
	if (len > JSONREC_MAX_DOCUMENT) {
		free(buf);
		return too_big(in, err);
	}
	*out = buf;
	*out_len = len;
	return 0;
}

/* An array of records, read through a window that holds an element at
 * a time (and grows for a long one), so a transcript of any length is
 * never in memory whole. */
static int
read_array_from_file(const struct ingest_input *in, size_t first,
                     const struct jsonrec_handler *h, struct alibi_error *err)
{
	size_t cap = window_start > first ? window_start : first + 1;
	struct window w = { in->fp, xmalloc(cap), cap, 0, 0 };
	size_t len = fread(w.mem, 1, w.cap, w.fp);
	w.eof = len == 0;
	int rc = 0;
	if (len <= first) {
		rc = ferror(in->fp) ? alibi_error_set(err, ALIBI_EIO, "%s: read error", in->path) : 0;
		free(w.mem);
		return rc;
	}
	read_document(w.mem, len, LAYOUT_ARRAY, first, h, &w);
	if (ferror(in->fp))
		rc = alibi_error_set(err, ALIBI_EIO, "%s: read error", in->path);
	else if (w.too_long)
		rc = alibi_error_set(err, ALIBI_EFORMAT,
		                     "%s: a record of the array is larger than %zu MiB; not read",
		                     in->path, JSONREC_MAX_DOCUMENT >> 20);
	free(w.mem);
	return rc;
}

int
jsonrec_read(const struct ingest_input *in, const struct jsonrec_handler *h,
             struct alibi_error *err)
{
	char own_head[4096];
	const char *head = in->head;
	size_t head_len = in->head_len;
	if (!head) {
		head_len = fread(own_head, 1, sizeof own_head, in->fp);
		head = own_head;
		if (fseek(in->fp, 0, SEEK_SET) != 0)
			return alibi_error_set(err, ALIBI_EIO, "%s: cannot go back to the start", in->path);
	}
	size_t first = 0;
	enum layout layout = detect_layout(head, head_len, &first);
	if (layout == LAYOUT_EMPTY)
		return 0;
	if (layout == LAYOUT_LINES)
		return read_lines_from_file(in, h, err);
	if (layout == LAYOUT_ARRAY)
		return read_array_from_file(in, first, h, err);
	if (in->size > JSONREC_MAX_DOCUMENT)
		return too_big(in, err);
	char *buf = NULL;
	size_t len = 0;
	int rc = slurp(in, &buf, &len, err);
	if (rc)
		return rc;
	read_document(buf, len, layout, first, h, NULL);
	free(buf);
	return 0;
}

size_t
jsonrec_first_record(const char *buf, size_t len)
{
	size_t first = 0;
	enum layout layout = detect_layout(buf, len, &first);
	if (layout == LAYOUT_EMPTY)
		return len;
	if (buf[first] != '{' && buf[first] != '[')
		return len;
	struct cursor c = { buf, len, 0, 1, 0, NULL, 0, NULL };
	advance_to(&c, first);
	if (layout != LAYOUT_ARRAY) {
		/* a JSON line is a record, unless it holds "messages" */
		struct members m;
		scan_members(&c, &m, 0);
		if (!m.messages_at)
			return layout == LAYOUT_LINES ? first : len;
		goto_messages(&c, &m);
	}
	advance_to(&c, c.pos + 1);   /* the '[' */
	skip_space(&c);
	return c.pos < len && buf[c.pos] == '{' ? c.pos : len;
}
