/* tagged_internal.h — what the two halves of the tagged-transcript parser
 * share: tagged_text.c cuts an assistant's text into what it said, what it
 * reasoned and the tools it called; tagged.c reads the containers and
 * emits messages, tool calls and operations. */
#ifndef ALIBI_TAGGED_INTERNAL_H
#define ALIBI_TAGGED_INTERNAL_H

#include <stddef.h>

#include <cjson/cJSON.h>

enum tagged_piece_kind {
	TAGGED_TEXT,          /* said: outside every tag */
	TAGGED_THINKING,      /* <SCRATCHPAD_REASONING>, <thinking>, <think> */
	TAGGED_TOOL,          /* <tool_use:NAME>...</tool_use:NAME> */
	TAGGED_UNTERMINATED   /* <tool_use:NAME> never closed: kept as text */
};

struct tagged_piece {
	enum tagged_piece_kind kind;
	const char *text;     /* the piece's text (a tool's: between its tags) */
	size_t len;
	const char *whole;    /* a tool: the block, tags included */
	size_t whole_len;
	char name[64];        /* a tool's name, lower case */
};

/* Calls piece() for every piece of text, in order.  Text between pieces is
 * never lost: what no tag claims is a TAGGED_TEXT piece. */
void tagged_split(const char *text, size_t len,
                  void (*piece)(void *ctx, const struct tagged_piece *p), void *ctx);

/* The arguments written between a tool's tags, as a new JSON object:
 * "key: value" lines (values may be quoted and run over several lines),
 * or a JSON object, or else the whole text as "input". */
cJSON *tagged_fields(const char *text, size_t len);

#endif
