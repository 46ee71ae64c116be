/* case_readme.c — the README.md of a case: what a person reads on any git
 * host without alibi.  It is generated from case.json and the notes alone
 * (never from the workspace), so every clone that holds the same files
 * writes the same bytes, and a merge can simply regenerate it.
 *
 * Everything in it comes from untrusted logs or teammates: control
 * characters are made visible (termtext) and Markdown and HTML syntax is
 * escaped, so a note cannot inject links, images or markup. */
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/termtext.h"
#include "alibi/timeparse.h"
#include "cases_internal.h"

/* Quotes longer than this are cut: the evidence files hold the rest. */
#define QUOTE_MAX 600

static const char *
str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
num(const cJSON *o, const char *name, double fallback)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}

/* s on one line, terminal-safe, cut at max bytes of input. */
static void
safe_line(struct strbuf *out, const char *s, size_t max)
{
	size_t n = strlen(s ? s : "");
	int cut = n > max;
	char *flat = xstrndup(s ? s : "", cut ? max : n);
	for (char *p = flat; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	termtext_escape(out, flat, strlen(flat), 0);
	if (cut)
		sb_adds(out, " …");
	free(flat);
}

/* Text with every character Markdown or HTML could act on escaped. */
static void
md_text(struct strbuf *out, const char *s, size_t max)
{
	struct strbuf safe = STRBUF_INIT;
	safe_line(&safe, s, max);
	const char *text = sb_str(&safe);
	/* Inline syntax anywhere; block syntax ("- ", "+ ", "1. ") only
	 * matters at the start, where the text may begin a paragraph. */
	size_t digits = strspn(text, "0123456789");
	for (const char *p = text; *p; p++) {
		int block = (p == text && (*p == '-' || *p == '+')) ||
		            (digits && p == text + digits && (*p == '.' || *p == ')'));
		if (block || strchr("\\`*_[]<>|&~#", *p))
			sb_addc(out, '\\');
		sb_addc(out, *p);
	}
	sb_free(&safe);
}

/* A code span that no backtick inside can close. */
static void
md_code(struct strbuf *out, const char *s, size_t max)
{
	struct strbuf safe = STRBUF_INIT;
	safe_line(&safe, s, max);
	size_t longest = 0, run = 0;
	for (const char *p = sb_str(&safe); *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	const char *text = sb_str(&safe);
	/* A space pads the span only where a backtick would touch the fence. */
	int pad = *text == '`' || (safe.len && text[safe.len - 1] == '`');
	for (size_t i = 0; i <= longest; i++)
		sb_addc(out, '`');
	if (pad)
		sb_addc(out, ' ');
	sb_adds(out, text);
	if (pad)
		sb_addc(out, ' ');
	for (size_t i = 0; i <= longest; i++)
		sb_addc(out, '`');
	sb_free(&safe);
}

/* A multi-line text as a block quote, line by line; each line ends in a
 * hard break so a following "> — source" line stays on its own line. */
static void
md_quote_block(struct strbuf *out, const char *indent, const char *text)
{
	char *copy = xstrdup(text ? text : "");
	char *line = copy;
	for (;;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (*line) {
			sb_addf(out, "%s> ", indent);
			md_text(out, line, ANNOTATION_NOTE_MAX);
			sb_adds(out, "  \n");
		} else {
			sb_addf(out, "%s>\n", indent);
		}
		if (!nl || !nl[1])
			break;
		line = nl + 1;
	}
	free(copy);
}

static void
md_date(struct strbuf *out, int64_t us)
{
	char iso[40];
	time_format_iso(iso, sizeof iso, us);
	/* "2026-03-04T10:15:30.123456Z" -> "2026-03-04 10:15 UTC" */
	if (strlen(iso) >= 16)
		sb_addf(out, "%.10s %.5s UTC", iso, iso + 11);
	else
		sb_adds(out, iso);
}

static int
note_order(const void *x, const void *y)
{
	const struct annotation *a = *(const struct annotation *const *)x;
	const struct annotation *b = *(const struct annotation *const *)y;
	if (a->created_at != b->created_at)
		return a->created_at < b->created_at ? -1 : 1;
	return strcmp(a->uid, b->uid);
}

static void
render_note(struct strbuf *out, const struct annotation *a)
{
	sb_adds(out, "- ");
	if (a->verdict != ANNOTATION_NONE)
		sb_addf(out, "**%s** — ", annotation_verdict_name(a->verdict));
	md_text(out, a->author, ANNOTATION_AUTHOR_MAX);
	sb_adds(out, ", ");
	md_date(out, a->updated_at);
	if (a->tags && *a->tags) {
		sb_adds(out, " — tags: ");
		md_text(out, a->tags, 400);
	}
	sb_addc(out, '\n');
	if (a->note && *a->note)
		md_quote_block(out, "  ", a->note);
}

/* The notes on one target (finding_key NULL: the incident), oldest first.
 * Returns how many there were. */
static int
render_notes_on(struct strbuf *out, const struct case_doc *doc,
                const char *finding_key)
{
	const struct annotation **list = xcalloc(doc->note_count + 1, sizeof *list);
	size_t n = 0;
	for (size_t i = 0; i < doc->note_count; i++) {
		const struct annotation *a = &doc->notes[i].a;
		if ((!a->finding_key && !finding_key) ||
		    (a->finding_key && finding_key && strcmp(a->finding_key, finding_key) == 0))
			list[n++] = a;
	}
	qsort(list, n, sizeof *list, note_order);
	for (size_t i = 0; i < n; i++)
		render_note(out, list[i]);
	free(list);
	return (int)n;
}

/* Which of the evidence groups an item belongs to. */
enum ev_group { EV_ASKED, EV_SAID, EV_RAN, EV_DID, EV__COUNT };

static enum ev_group
evidence_group(const cJSON *e)
{
	const char *type = str(e, "type");
	const char *role = str(e, "role");
	if (type && strcmp(type, "claim") == 0)
		return EV_SAID;
	if (type && strcmp(type, "tool_call") == 0)
		return EV_RAN;
	if (type && strcmp(type, "message") == 0)
		return role && strcmp(role, "claim") == 0 ? EV_SAID : EV_ASKED;
	return EV_DID;
}

static void
render_source_ref(struct strbuf *out, const cJSON *e)
{
	md_text(out, str(e, "source") ? str(e, "source") : "?", 200);
	sb_addf(out, ":%lld", (long long)num(e, "line", 0));
}

static void
render_evidence(struct strbuf *out, const cJSON *items)
{
	static const char *const headings[EV__COUNT] = {
		"What the agent was asked:", "What the agent said:",
		"Commands it ran:", "What the logs show:",
	};
	for (int g = 0; g < EV__COUNT; g++) {
		const cJSON *e;
		int shown = 0;
		cJSON_ArrayForEach(e, items) {
			if ((int)evidence_group(e) != g)
				continue;
			if (!shown++)
				sb_addf(out, "%s\n\n", headings[g]);
			if (g == EV_ASKED || g == EV_SAID) {
				struct strbuf cut = STRBUF_INIT;
				const char *text = str(e, "text") ? str(e, "text") : "";
				size_t n = strlen(text);
				sb_add(&cut, text, n > QUOTE_MAX ? QUOTE_MAX : n);
				if (n > QUOTE_MAX)
					sb_adds(&cut, " …");
				md_quote_block(out, "", sb_str(&cut));
				sb_free(&cut);
				sb_adds(out, "> — ");
				render_source_ref(out, e);
				sb_adds(out, "\n\n");
			} else {
				sb_adds(out, "- ");
				md_code(out, str(e, "text"), QUOTE_MAX);
				sb_adds(out, " — ");
				render_source_ref(out, e);
				sb_addc(out, '\n');
			}
		}
		if (shown && (g == EV_RAN || g == EV_DID))
			sb_addc(out, '\n');
	}
}

static void
render_finding(struct strbuf *out, const struct case_doc *doc, const cJSON *f,
               int index)
{
	const char *key = str(f, "key");
	enum annotation_verdict v = key ? case_doc_verdict(doc, key) : ANNOTATION_NONE;
	sb_addf(out, "### %d. ", index);
	md_text(out, str(f, "kind"), 60);
	sb_adds(out, " — ");
	md_text(out, str(f, "severity"), 20);
	sb_addf(out, " — %s\n\n", v == ANNOTATION_NONE ? "no verdict yet" :
	        annotation_verdict_name(v));
	md_text(out, str(f, "summary"), QUOTE_MAX);
	sb_adds(out, "\n\n*Because:* ");
	md_text(out, str(f, "because"), QUOTE_MAX);
	sb_adds(out, "\n\n");
	render_evidence(out, cJSON_GetObjectItemCaseSensitive(f, "evidence"));
	sb_adds(out, "Reviews:\n\n");
	if (!key || render_notes_on(out, doc, key) == 0)
		sb_adds(out, "- none yet\n");
	sb_adds(out, "\nKey ");
	md_code(out, key ? key : "?", 200);
	if (str(f, "rule")) {
		sb_adds(out, " · rule ");
		md_code(out, str(f, "rule"), 100);
	}
	sb_addf(out, " · confidence %.2f\n\n", num(f, "confidence", 1.0));
}

static void
render_sources(struct strbuf *out, const cJSON *sources)
{
	if (cJSON_GetArraySize(sources) == 0)
		return;
	sb_adds(out, "## Evidence files\n\n| File | Format | Bytes | SHA-256 |\n"
	        "|---|---|---|---|\n");
	const cJSON *s;
	cJSON_ArrayForEach(s, sources) {
		sb_adds(out, "| ");
		const char *rel = str(s, "evidence");
		const char *name = str(s, "name");
		if (rel && casefs_rel_is_safe(rel)) {
			sb_adds(out, "[");
			md_text(out, name ? name : rel, 200);
			sb_addf(out, "](%s)", rel);
		} else {
			md_text(out, name ? name : "?", 200);
			sb_adds(out, " (not in the case: ");
			md_text(out, str(s, "omitted") ? str(s, "omitted") : "omitted", 200);
			sb_adds(out, ")");
		}
		sb_adds(out, " | ");
		md_text(out, str(s, "format"), 40);
		sb_addf(out, " | %.0f | ", num(s, "bytes", 0));
		md_code(out, str(s, "sha256") ? str(s, "sha256") : "?", 64);
		sb_adds(out, " |\n");
	}
	sb_addc(out, '\n');
}

/* Notes whose finding this case.json no longer lists. */
static void
render_orphans(struct strbuf *out, const struct case_doc *doc,
               const cJSON *findings)
{
	int header = 0;
	for (size_t i = 0; i < doc->note_count; i++) {
		const struct annotation *a = &doc->notes[i].a;
		if (!a->finding_key)
			continue;
		int known = 0;
		const cJSON *f;
		cJSON_ArrayForEach(f, findings) {
			const char *key = str(f, "key");
			known |= key && strcmp(key, a->finding_key) == 0;
		}
		if (known)
			continue;
		if (!header++)
			sb_adds(out, "## Notes on findings not in this analysis\n\n");
		sb_adds(out, "Finding ");
		md_code(out, a->finding_key, ANNOTATION_KEY_MAX);
		sb_adds(out, ":\n\n");
		render_note(out, a);
		sb_addc(out, '\n');
	}
}

void
case_readme_render(const struct case_doc *doc, struct strbuf *out)
{
	const cJSON *cj = doc->case_json;
	const cJSON *findings = cj ? cJSON_GetObjectItemCaseSensitive(cj, "findings") : NULL;
	int counts[4];
	const char *status = case_doc_status(doc, counts);
	sb_adds(out, "# ");
	md_text(out, cj && str(cj, "title") ? str(cj, "title") : doc->slug, 200);
	sb_adds(out, "\n\nThis file is generated by alibi from `case.json` and `notes/`"
	        " and is rewritten on every commit; do not edit it. Open the case with"
	        " `alibi case open ");
	sb_adds(out, doc->slug);
	sb_adds(out, "`.\n\n");
	int total = cJSON_GetArraySize(findings);
	sb_addf(out, "- Case: `%s`\n- Status: **%s**\n", doc->slug, status);
	sb_addf(out, "- Findings: %d (%d confirmed, %d dismissed, %d unclear, %d without a verdict)\n",
	        total, counts[ANNOTATION_CONFIRMED], counts[ANNOTATION_DISMISSED],
	        counts[ANNOTATION_UNCLEAR], counts[ANNOTATION_NONE]);
	sb_addf(out, "- Notes: %zu\n\n", doc->note_count);
	sb_adds(out, "## The incident\n\n");
	enum annotation_verdict iv = case_doc_verdict(doc, NULL);
	sb_addf(out, "Verdict on the incident: **%s**\n\n",
	        iv == ANNOTATION_NONE ? "none yet" : annotation_verdict_name(iv));
	if (render_notes_on(out, doc, NULL))
		sb_addc(out, '\n');
	if (total) {
		sb_adds(out, "## Findings\n\n");
		const cJSON *f;
		int i = 0;
		cJSON_ArrayForEach(f, findings)
			render_finding(out, doc, f, ++i);
	}
	render_orphans(out, doc, findings);
	render_sources(out, cj ? cJSON_GetObjectItemCaseSensitive(cj, "sources") : NULL);
}

int
case_refresh_generated(git_repository *repo, git_index *idx, const char *slug,
                       const struct cases_report *rep, struct alibi_error *err)
{
	struct case_doc doc;
	if (case_doc_load(repo, idx, slug, rep, &doc, err))
		return err->code;
	int rc = 0;
	struct strbuf path = STRBUF_INIT, readme = STRBUF_INIT;
	if (doc.case_json) {
		case_doc_update_status(&doc);
		char *text = case_json_print(doc.case_json);
		sb_addf(&path, CASES_ROOT "/%s/case.json", slug);
		rc = case_index_put(repo, idx, sb_str(&path), text, strlen(text), err);
		free(text);
	}
	if (rc == 0) {
		case_readme_render(&doc, &readme);
		sb_reset(&path);
		sb_addf(&path, CASES_ROOT "/%s/README.md", slug);
		rc = case_index_put(repo, idx, sb_str(&path), readme.buf, readme.len, err);
	}
	sb_free(&path);
	sb_free(&readme);
	case_doc_free(&doc);
	return rc;
}
