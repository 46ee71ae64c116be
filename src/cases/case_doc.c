/* case_doc.c — a case as it is stored: case.json and the notes files,
 * read from a git index, and the JSON written for them.
 *
 * Every writer goes through case_json_print(), so the same content always
 * has the same bytes: a note re-exported unchanged by a teammate is not a
 * change, and two reviewers' commits touch different files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alibi/alloc.h"
#include "alibi/timeparse.h"
#include "cases_internal.h"

char *
case_json_print(const cJSON *json)
{
	char *text = cJSON_Print(json);
	if (!text)
		return xstrdup("{}\n");
	size_t n = strlen(text);
	char *out = xmalloc(n + 2);
	memcpy(out, text, n);
	out[n] = '\n';
	out[n + 1] = '\0';
	cJSON_free(text);
	return out;
}

static cJSON *
string_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

char *
case_note_json(const struct annotation *a, const char *slug)
{
	char created[40], updated[40];
	time_format_iso(created, sizeof created, a->created_at);
	time_format_iso(updated, sizeof updated, a->updated_at);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "format", "alibi-note");
	cJSON_AddNumberToObject(o, "version", 1);
	cJSON_AddStringToObject(o, "id", a->uid);
	cJSON_AddStringToObject(o, "case", slug);
	cJSON_AddItemToObject(o, "finding", string_or_null(a->finding_key));
	cJSON_AddStringToObject(o, "author", a->author);
	cJSON_AddItemToObject(o, "verdict", string_or_null(
		a->verdict == ANNOTATION_NONE ? NULL : annotation_verdict_name(a->verdict)));
	cJSON *tags = cJSON_AddArrayToObject(o, "tags");
	char *copy = xstrdup(a->tags ? a->tags : "");
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t;
	     t = strtok_r(NULL, ",", &save))
		cJSON_AddItemToArray(tags, cJSON_CreateString(t));
	free(copy);
	cJSON_AddStringToObject(o, "note", a->note ? a->note : "");
	cJSON_AddStringToObject(o, "created", created);
	cJSON_AddStringToObject(o, "updated", updated);
	char *text = case_json_print(o);
	cJSON_Delete(o);
	return text;
}

static const char *
get_string(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
case_note_parse(const cJSON *json, struct annotation *a, struct strbuf *tags,
                struct alibi_error *err)
{
	memset(a, 0, sizeof *a);
	sb_reset(tags);
	sb_adds(tags, "");
	if (!cJSON_IsObject(json))
		return alibi_error_set(err, ALIBI_EFORMAT, "not a JSON object");
	const char *format = get_string(json, "format");
	if (!format || strcmp(format, "alibi-note") != 0)
		return alibi_error_set(err, ALIBI_EFORMAT, "not an alibi note (format)");
	a->uid = get_string(json, "id");
	a->author = get_string(json, "author");
	a->note = get_string(json, "note");
	const cJSON *finding = cJSON_GetObjectItemCaseSensitive(json, "finding");
	if (cJSON_IsString(finding))
		a->finding_key = finding->valuestring;
	else if (!cJSON_IsNull(finding))
		return alibi_error_set(err, ALIBI_EFORMAT, "\"finding\" must be a key or null");
	const char *verdict = get_string(json, "verdict");
	int v = verdict ? annotation_verdict_from_name(verdict) : ANNOTATION_NONE;
	if (v < 0 || (verdict && strcmp(verdict, annotation_verdict_name(v)) != 0))
		return alibi_error_set(err, ALIBI_EFORMAT, "unknown verdict");
	a->verdict = (enum annotation_verdict)v;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(json, "tags");
	const cJSON *t;
	cJSON_ArrayForEach(t, list) {
		if (!cJSON_IsString(t))
			return alibi_error_set(err, ALIBI_EFORMAT, "tags must be strings");
		if (tags->len)
			sb_addc(tags, ',');
		sb_adds(tags, t->valuestring);
	}
	a->tags = sb_str(tags);
	const char *created = get_string(json, "created");
	const char *updated = get_string(json, "updated");
	a->created_at = created ? time_parse_iso8601(created) : ALIBI_TS_NONE;
	a->updated_at = updated ? time_parse_iso8601(updated) : ALIBI_TS_NONE;
	if (!a->uid || !a->author || !a->note || a->created_at == ALIBI_TS_NONE ||
	    a->updated_at == ALIBI_TS_NONE)
		return alibi_error_set(err, ALIBI_EFORMAT,
		                       "a field is missing (id, author, note, created, updated)");
	if (!annotation_uid_is_valid(a->uid))
		return alibi_error_set(err, ALIBI_EFORMAT, "\"id\" is not a uuid");
	if (!annotation_author_is_valid(a->author))
		return alibi_error_set(err, ALIBI_EFORMAT, "\"author\" is not 'Name <email>'");
	return 0;
}

/* ---- the index ---- */

int
case_index_read(git_repository *repo, git_index *idx, const char *path,
                size_t max, struct strbuf *out, int *found,
                struct alibi_error *err)
{
	sb_reset(out);
	*found = 0;
	const git_index_entry *e = git_index_get_bypath(idx, path, 0);
	if (!e)
		return 0;
	if (e->mode != GIT_FILEMODE_BLOB && e->mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return alibi_error_set(err, ALIBI_EFORMAT,
		                       "%s is not a regular file in the case repository", path);
	git_blob *blob = NULL;
	if (git_blob_lookup(&blob, repo, &e->id) != 0)
		return cases_git_error(err, path);
	git_object_size_t size = git_blob_rawsize(blob);
	int rc = 0;
	if (size > max) {
		rc = alibi_error_set(err, ALIBI_EFORMAT, "%s is too large (%llu bytes)",
		                     path, (unsigned long long)size);
	} else {
		sb_add(out, git_blob_rawcontent(blob), (size_t)size);
		sb_adds(out, "");
		*found = 1;
	}
	git_blob_free(blob);
	return rc;
}

int
case_index_put(git_repository *repo, git_index *idx, const char *path,
               const char *data, size_t n, struct alibi_error *err)
{
	git_oid oid;
	if (git_blob_create_from_buffer(&oid, repo, data, n) != 0)
		return cases_git_error(err, path);
	git_index_entry e;
	memset(&e, 0, sizeof e);
	e.path = path;
	e.mode = GIT_FILEMODE_BLOB;
	e.id = oid;
	if (git_index_add(idx, &e) != 0)
		return cases_git_error(err, path);
	return 0;
}

/* ---- loading a case ---- */

static int
load_note(git_repository *repo, git_index *idx, const char *path,
          const char *uid, const char *slug, struct case_doc *doc,
          const struct cases_report *rep)
{
	struct strbuf text = STRBUF_INIT;
	struct alibi_error err = { 0 };
	int found;
	if (case_index_read(repo, idx, path, NOTE_JSON_MAX, &text, &found, &err)) {
		cases_report_warn(rep, "%s: skipped: %s", path, err.msg);
		sb_free(&text);
		return 0;
	}
	cJSON *json = cJSON_ParseWithLength(sb_str(&text), text.len);
	sb_free(&text);
	struct case_note_doc nd = { 0 };
	struct strbuf tags = STRBUF_INIT;
	nd.json = json;
	if (!json) {
		alibi_error_set(&err, ALIBI_EFORMAT, "invalid JSON");
	} else if (case_note_parse(json, &nd.a, &tags, &err) == 0) {
		const char *in_case = get_string(json, "case");
		if (strcmp(nd.a.uid, uid) != 0)
			alibi_error_set(&err, ALIBI_EFORMAT, "its id is not its file name");
		else if (!in_case || strcmp(in_case, slug) != 0)
			alibi_error_set(&err, ALIBI_EFORMAT, "it belongs to another case");
	}
	if (err.code) {
		cases_report_warn(rep, "%s: skipped: %s", path, err.msg);
		cJSON_Delete(json);
		sb_free(&tags);
		return 0;
	}
	nd.tags = sb_detach(&tags);
	nd.a.tags = nd.tags ? nd.tags : "";
	nd.uid = xstrdup(uid);
	doc->notes = xrealloc(doc->notes, (doc->note_count + 1) * sizeof *doc->notes);
	doc->notes[doc->note_count++] = nd;
	return 0;
}

/* "<uid>.json" -> uid in out; 0 when the name is not that. */
static int
note_file_uid(const char *name, char uid[37])
{
	size_t n = strlen(name);
	if (n != 36 + 5 || strcmp(name + 36, ".json") != 0)
		return 0;
	memcpy(uid, name, 36);
	uid[36] = '\0';
	return annotation_uid_is_valid(uid);
}

int
case_doc_load(git_repository *repo, git_index *idx, const char *slug,
              const struct cases_report *rep, struct case_doc *doc,
              struct alibi_error *err)
{
	memset(doc, 0, sizeof *doc);
	if (!cases_slug_is_valid(slug))
		return alibi_error_set(err, ALIBI_EUSAGE, "'%.100s' is not a valid case name", slug);
	snprintf(doc->slug, sizeof doc->slug, "%s", slug);
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	sb_addf(&path, CASES_ROOT "/%s/case.json", slug);
	int found;
	int rc = case_index_read(repo, idx, sb_str(&path), CASE_JSON_MAX, &text, &found, err);
	if (rc == 0 && found) {
		doc->case_json = cJSON_ParseWithLength(sb_str(&text), text.len);
		if (!cJSON_IsObject(doc->case_json))
			rc = alibi_error_set(err, ALIBI_EFORMAT, "%s: invalid JSON", sb_str(&path));
	}
	sb_reset(&path);
	sb_addf(&path, CASES_ROOT "/%s/notes/", slug);
	size_t pos;
	if (rc == 0 && git_index_find_prefix(&pos, idx, sb_str(&path)) == 0) {
		for (const git_index_entry *e; (e = git_index_get_byindex(idx, pos)); pos++) {
			if (strncmp(e->path, sb_str(&path), path.len) != 0)
				break;
			char uid[37];
			const char *name = e->path + path.len;
			if (git_index_entry_stage(e) != 0)
				continue;
			if (!note_file_uid(name, uid)) {
				/* NAME.theirs-<commit> copies from a conflict are kept
				 * for people, not read as notes. */
				if (!strstr(name, ".theirs-"))
					cases_report_warn(rep, "%s: skipped: not a note file name", e->path);
				continue;
			}
			load_note(repo, idx, e->path, uid, slug, doc, rep);
		}
	}
	sb_free(&path);
	sb_free(&text);
	if (rc)
		case_doc_free(doc);
	return rc;
}

void
case_doc_free(struct case_doc *doc)
{
	cJSON_Delete(doc->case_json);
	for (size_t i = 0; i < doc->note_count; i++) {
		free(doc->notes[i].uid);
		free(doc->notes[i].tags);
		cJSON_Delete(doc->notes[i].json);
	}
	free(doc->notes);
	memset(doc, 0, sizeof *doc);
}

/* ---- what the notes add up to ---- */

static int
same_key(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

enum annotation_verdict
case_doc_verdict(const struct case_doc *doc, const char *finding_key)
{
	const struct annotation *best = NULL;
	for (size_t i = 0; i < doc->note_count; i++) {
		const struct annotation *a = &doc->notes[i].a;
		if (a->verdict == ANNOTATION_NONE || !same_key(a->finding_key, finding_key))
			continue;
		/* Ties are broken by id so every clone reaches the same answer. */
		if (!best || a->updated_at > best->updated_at ||
		    (a->updated_at == best->updated_at && strcmp(a->uid, best->uid) > 0))
			best = a;
	}
	return best ? best->verdict : ANNOTATION_NONE;
}

const char *
case_doc_status(const struct case_doc *doc, int counts[4])
{
	memset(counts, 0, 4 * sizeof counts[0]);
	const cJSON *findings = doc->case_json ?
		cJSON_GetObjectItemCaseSensitive(doc->case_json, "findings") : NULL;
	const cJSON *f;
	int total = 0;
	cJSON_ArrayForEach(f, findings) {
		const char *key = get_string(f, "key");
		if (!key)
			continue;
		counts[case_doc_verdict(doc, key)]++;
		total++;
	}
	if (total == 0)
		return case_doc_verdict(doc, NULL) != ANNOTATION_NONE ? "reviewed" : "open";
	return counts[ANNOTATION_NONE] ? "open" : "reviewed";
}

void
case_doc_update_status(struct case_doc *doc)
{
	if (!doc->case_json)
		return;
	int counts[4];
	const char *status = case_doc_status(doc, counts);
	cJSON *item = cJSON_CreateString(status);
	if (cJSON_GetObjectItemCaseSensitive(doc->case_json, "status"))
		cJSON_ReplaceItemInObjectCaseSensitive(doc->case_json, "status", item);
	else
		cJSON_AddItemToObject(doc->case_json, "status", item);
}
