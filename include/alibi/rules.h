/* rules.h — analysis rules are data, not code (DESIGN §5).
 *
 * A rules file is line-oriented text; the default one is compiled into the
 * binary (src/analyze/default.rules) and the user's files (--rules FILE,
 * $XDG_CONFIG_HOME/alibi/rules) extend or override it by rule name.  The
 * format is documented in man/alibi-rules.5. */
#ifndef ALIBI_RULES_H
#define ALIBI_RULES_H

#include <stddef.h>
#include "alibi/error.h"

struct rules;

/* The compiled-in default rules. */
int rules_load_default(struct rules **out, struct alibi_error *err);
/* Adds the rules in path to r; a rule with an existing name replaces it.
 * Fails on the first bad line with "path:line: problem". */
int rules_load_file(struct rules *r, const char *path, struct alibi_error *err);
/* Loads default + the config dir's rules + extra (may be NULL). */
int rules_load_all(const char *extra, struct rules **out,
                   struct alibi_error *err);
void rules_free(struct rules *r);

/* Checks a rules file and reports every bad line ("file:line: problem",
 * PCRE2 messages and offsets included) through report.  Returns the number
 * of bad lines, or -1 when the file cannot be read (err says why). */
int rules_check_file(const char *path,
                     void (*report)(void *ctx, const char *msg), void *ctx,
                     struct alibi_error *err);

/* What the rules' `asset`, `place` and `noise` lines say about one path,
 * host or port, for modules that look at ops one at a time outside
 * analysis (compare.c): the same globs analysis uses, asked directly. */
int rules_path_is_noise(const struct rules *r, const char *path);
/* A host name or address, or a socket path ("/run/...", "@abstract"),
 * analysis ignores; port -1 when none. */
int rules_host_is_noise(const struct rules *r, const char *host, int port);
int rules_path_is_protected(const struct rules *r, const char *path);
int rules_path_is_hidden(const struct rules *r, const char *path);

/* The default rules text, generated at build time. */
extern const char alibi_default_rules[];

#endif
