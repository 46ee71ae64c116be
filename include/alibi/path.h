/* path.h — the one path join and normaliser, and glob matching. */
#ifndef ALIBI_PATH_H
#define ALIBI_PATH_H

#include <stddef.h>
#include "alibi/strbuf.h"

/* Appends base joined with rel to out: rel when it is absolute, else
 * base + "/" + rel.  The result is normalised lexically (path_normalize). */
void path_join(struct strbuf *out, const char *base, const char *rel);

/* Normalises in place without touching the file system: collapses "//",
 * drops "." components and resolves ".." lexically ("/a/b/../c" -> "/a/c";
 * ".." above the root stays at the root).  Returns p. */
char *path_normalize(char *p);

/* Shell-style glob where '*' also matches '/', so "*\/models/\*" matches
 * "/srv/models/agent2/w.bin".  Supports *, ?, [...] and a leading "**\/". */
int path_glob_match(const char *pattern, const char *path);

/* 1 when path, after normalisation, is root itself or lies below it. */
int path_is_within(const char *root, const char *path);

/* The last component ("/a/b.txt" -> "b.txt"); a pointer into path. */
const char *path_basename(const char *path);

/* 1 when name is a safe single path component for use as a slug or file
 * name: [A-Za-z0-9._-], not starting with '.', 1..100 bytes. */
int path_is_safe_component(const char *name);

/* Turns any text into a safe component: lower case, runs of other
 * characters become '-', trimmed, "incident" when nothing is left. */
void path_slugify(struct strbuf *out, const char *text);

#endif
