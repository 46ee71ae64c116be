/* show_model.h — what `alibi show` prints, read from the workspace into
 * memory first (private to src/cli/). */
#ifndef ALIBI_SHOW_MODEL_H
#define ALIBI_SHOW_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "alibi/error.h"
#include "alibi/store.h"

struct show_op {
	int64_t id;
	char *text;          /* "! unlink /srv/x  actions.strace:812" */
};

struct show_op_list {
	struct show_op *items;
	size_t count, cap;
	int64_t hidden;      /* routine operations left out */
};

struct show_call {
	int64_t id;
	int64_t message;
	char *name, *command, *args, *result;
	int is_error;
	int64_t ended;                /* when its result came, ALIBI_TS_NONE if unknown */
	struct show_op_list ops;      /* from the action logs */
	struct show_op_list derived;  /* from the command text */
};

struct show_message {
	int64_t id;
	char *role;
	char *text;
	int evidence;        /* a claim in it is evidence of a finding */
	size_t first_call, call_count;
};

struct show_finding {
	char *kind, *severity, *key, *summary, *because;
	char **evidence;
	size_t evidence_count;
};

struct show_model {
	char *slug, *title, *clock_note;
	char **sources;
	size_t source_count;
	struct show_message *messages;
	size_t message_count, message_cap;
	struct show_call *calls;
	size_t call_count, call_cap;
	struct show_op_list unattributed;
	struct show_finding *findings;
	size_t finding_count, finding_cap;
	int64_t *evidence_ops;       /* sorted op ids that are evidence */
	size_t evidence_op_count, evidence_op_cap;
	int64_t *evidence_messages;  /* sorted message ids */
	size_t evidence_message_count, evidence_message_cap;
};

int show_model_load(struct store *st, int64_t incident, struct show_model *m,
                    struct alibi_error *err);
void show_model_free(struct show_model *m);

#endif
