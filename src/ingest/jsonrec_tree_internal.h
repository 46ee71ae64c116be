/* jsonrec_tree_internal.h — records parsed into cJSON nodes held in an
 * arena (jsonrec_tree.c); only jsonrec.c and its tests use it.
 *
 * cJSON allocates every node and string on its own and frees them one by
 * one: for a transcript of short messages that is most of the cost of
 * reading it.  jsonrec_tree_parse() builds the same tree with the nodes and
 * strings taken from an arena that is emptied after each record.  It reads
 * only the JSON it is sure cJSON reads the same way (an object of strings
 * with the usual escapes, plain numbers, true, false, null, arrays and
 * objects not nested too deep); anything else, valid or not, gives NULL
 * and the caller asks cJSON, which decides — so records, their line
 * numbers and the problems reported do not depend on which one read it. */
#ifndef ALIBI_JSONREC_TREE_INTERNAL_H
#define ALIBI_JSONREC_TREE_INTERNAL_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct jsonrec_arena_chunk;

struct jsonrec_arena {
	struct jsonrec_arena_chunk *first;   /* kept across resets */
	struct jsonrec_arena_chunk *cur;
};

#define JSONREC_ARENA_INIT { NULL, NULL }

/* The object at text (no leading space), as cJSON_ParseWithLengthOpts()
 * would parse it, with *end just past its '}'; NULL when the text is not
 * in the subset read here.  The tree lives until the next reset. */
const cJSON *jsonrec_tree_parse(struct jsonrec_arena *a, const char *text, size_t len,
                                const char **end);
/* Forgets every tree; keeps the first chunk for the next record. */
void jsonrec_arena_reset(struct jsonrec_arena *a);
void jsonrec_arena_free(struct jsonrec_arena *a);

#endif
