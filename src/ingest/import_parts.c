/* import_parts.c — the incidents one file's records go to.
 *
 * Most files are one incident.  A file that holds several runs, such as an
 * Inspect log with several samples, tells the sink where each run begins;
 * each run then becomes an incident of its own, named BASE/RUN, with the
 * file as one of its sources.  Parts are created lazily, with their first
 * record, so that neither the file's own incident nor a run that yields
 * nothing is left empty in the workspace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/path.h"
#include "alibi/strbuf.h"
#include "import_internal.h"

/* As path_is_safe_component() allows. */
#define SLUG_MAX 100

static struct import_part *
add_part(struct import_parts *p, char *slug, char *title)
{
	void *items = p->v;
	grow_array(&items, sizeof *p->v, &p->cap, p->count + 1);
	p->v = items;
	struct import_part *part = &p->v[p->count++];
	memset(part, 0, sizeof *part);
	part->slug = slug;
	part->title = title;
	part->clock = ALIBI_CLOCK_NONE;
	return part;
}

void
import_parts_init(struct import_parts *p, struct store *st,
                  const struct store_source *src, const char *slug,
                  const char *title, int64_t incident, const char *base,
                  int pick_run)
{
	memset(p, 0, sizeof *p);
	p->st = st;
	p->src = *src;
	p->base = base;
	p->pick_run = pick_run;
	struct import_part *own = add_part(p, xstrdup(slug), title ? xstrdup(title) : NULL);
	own->incident = incident;
}

/* "BASE-RUN" as one slug, with "-N" after it for the Nth run of this file
 * that would otherwise have the same name.  The run's part is kept whole
 * and the base shortened, so that runs never lose what tells them apart. */
static void
run_slug(struct strbuf *out, const char *base, const char *run, unsigned n)
{
	struct strbuf b = STRBUF_INIT, r = STRBUF_INIT;
	char suffix[16] = "";
	if (n > 1)
		snprintf(suffix, sizeof suffix, "-%u", n);
	path_slugify(&r, run);
	path_slugify(&b, base);
	size_t room = SLUG_MAX - strlen(suffix);
	if (r.len + 1 >= room) {
		sb_add(out, r.buf, room);
	} else {
		size_t keep = b.len < room - r.len - 1 ? b.len : room - r.len - 1;
		while (keep && b.buf[keep - 1] == '-')
			keep--;
		sb_add(out, b.buf, keep);
		if (keep)
			sb_addc(out, '-');
		sb_add(out, r.buf, r.len);
	}
	sb_adds(out, suffix);
	sb_free(&b);
	sb_free(&r);
}

static int
slug_taken(const struct import_parts *p, const char *slug)
{
	for (size_t k = 1; k < p->count; k++)
		if (!p->v[k].skipped && strcmp(p->v[k].slug, slug) == 0)
			return 1;
	return 0;
}

/* Whether this file is already a source of the incident with this slug. */
static int
already_imported(struct import_parts *p, const char *slug, int64_t *incident, int *dup,
                 struct alibi_error *err)
{
	struct alibi_error none = { 0 };
	int64_t source = 0;
	*dup = 0;
	if (store_incident_find(p->st, slug, incident, &none)) {
		*incident = 0;
		return none.code == ALIBI_ENOTFOUND ? 0 : alibi_error_set(err, none.code, "%s", none.msg);
	}
	if (store_source_find(p->st, *incident, p->src.sha256, &source, err))
		return err->code;
	*dup = source != 0;
	return 0;
}

/* Whether the incident named slug was made from the run: its slug is the
 * run's, after a base and a dash (or alone). */
static int
made_from(const char *slug, const char *run)
{
	struct strbuf r = STRBUF_INIT;
	path_slugify(&r, run);
	size_t n = strlen(slug);
	int yes = n >= r.len && strcmp(slug + n - r.len, r.buf) == 0 &&
	          (n == r.len || slug[n - r.len - 1] == '-');
	sb_free(&r);
	return yes;
}

/* Records of a run not picked go nowhere. */
static void
pick_or_skip(struct import_parts *p, const char *run)
{
	if (!p->v[0].source && made_from(p->v[0].slug, run)) {
		p->current = 0;
		return;
	}
	struct import_part *part = add_part(p, xstrdup(run), NULL);
	part->skipped = 1;
	p->current = p->count - 1;
}

int
import_parts_begin(struct import_parts *p, const char *log, const char *run,
                   struct alibi_error *err)
{
	const char *base = p->base ? p->base : log && *log ? log : p->v[0].slug;
	const char *name = run && *run ? run : "run";
	if (p->pick_run) {
		pick_or_skip(p, name);
		return 0;
	}
	struct strbuf slug = STRBUF_INIT, title = STRBUF_INIT;
	unsigned n = 1;
	do {
		sb_reset(&slug);
		run_slug(&slug, base, name, n++);
	} while (slug_taken(p, sb_str(&slug)));
	sb_addf(&title, "%s/%s", base, name);
	if (n > 2)
		sb_addf(&title, " (%u)", n - 1);
	struct import_part *part = add_part(p, sb_detach(&slug), sb_detach(&title));
	p->current = p->count - 1;
	return already_imported(p, part->slug, &part->incident, &part->duplicate, err);
}

static int
create_part(struct import_parts *p, struct import_part *part, struct alibi_error *err)
{
	if (!part->incident &&
	    store_incident_ensure(p->st, part->slug, part->title, &part->incident, NULL, err))
		return err->code;
	struct store_source src = p->src;
	src.incident = part->incident;
	return store_source_add(p->st, &src, &part->source, err);
}

int
import_parts_open(struct import_parts *p, struct import_part **out,
                  struct alibi_error *err)
{
	struct import_part *part = &p->v[p->current];
	*out = NULL;
	if (part->duplicate || part->skipped)
		return 0;
	if (!part->source && create_part(p, part, err))
		return err->code;
	*out = part;
	return 0;
}

int
import_parts_count_record(struct import_parts *p)
{
	struct import_part *part = &p->v[p->current];
	if (part->duplicate || part->skipped)
		return 0;
	part->records++;
	p->records++;
	return 1;
}

int
import_parts_count_error(struct import_parts *p)
{
	struct import_part *part = &p->v[p->current];
	if (part->duplicate || part->skipped)
		return 0;
	part->errors++;
	p->errors++;
	return 1;
}

void
import_parts_set_clock(struct import_parts *p, enum alibi_clock clock)
{
	p->v[p->current].clock = clock;
}

int
import_parts_split(const struct import_parts *p)
{
	return p->count > 1;
}

int
import_parts_all_duplicate(const struct import_parts *p)
{
	int dup = 0;
	for (size_t k = 0; k < p->count; k++) {
		if (p->v[k].source)
			return 0;
		dup |= p->v[k].duplicate;
	}
	return dup && p->errors == 0;
}

int
import_parts_finish(struct import_parts *p, struct alibi_error *err)
{
	if (!import_parts_split(p) && !p->v[0].source && create_part(p, &p->v[0], err))
		return err->code;
	for (size_t k = 0; k < p->count; k++) {
		struct import_part *part = &p->v[k];
		if (part->source &&
		    store_source_finish(p->st, part->source, part->records, part->errors,
		                        part->clock, err))
			return err->code;
	}
	return 0;
}

void
import_parts_free(struct import_parts *p)
{
	for (size_t k = 0; k < p->count; k++) {
		free(p->v[k].slug);
		free(p->v[k].title);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}
