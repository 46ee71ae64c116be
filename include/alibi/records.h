/* records.h — what an incident is made of, as parsers produce it and the
 * workspace stores it (DESIGN §3).
 *
 * String fields are borrowed: a parser owns them until the sink callback
 * returns, and the sink copies what it keeps.  NULL means "not known". */
#ifndef ALIBI_RECORDS_H
#define ALIBI_RECORDS_H

#include <stdint.h>

/* Times are microseconds.  What they count from depends on the source's
 * clock (enum alibi_clock): since the Unix epoch, since midnight of an
 * unknown day (strace -t/-tt), or since the first record (strace -r). */
#define ALIBI_TS_NONE INT64_MIN

enum alibi_clock {
	ALIBI_CLOCK_NONE = 0,     /* the source carries no times */
	ALIBI_CLOCK_EPOCH,        /* absolute, UTC */
	ALIBI_CLOCK_TIME_OF_DAY,  /* wall-clock time of day, date and zone unknown */
	ALIBI_CLOCK_RELATIVE      /* since the first record */
};
const char *alibi_clock_name(enum alibi_clock clock);

/* The normalised operations.  X-macro: name, one-line meaning.  The names
 * are stored in ops.op and are part of the SQL interface. */
#define ALIBI_OP_KINDS(X) \
	X(exec,       "a program was executed") \
	X(open_read,  "a file was opened for reading") \
	X(open_write, "an existing file was opened for writing (or appended to)") \
	X(create,     "a file was created (or truncated to be written anew)") \
	X(write,      "data was written to a file") \
	X(truncate,   "a file was truncated") \
	X(unlink,     "a file was deleted") \
	X(rmdir,      "a directory was deleted") \
	X(rename,     "a file was moved or renamed (path -> path2)") \
	X(link,       "a hard or symbolic link was made (path -> path2)") \
	X(copy,       "a file was copied (path -> path2); derived") \
	X(chmod,      "permissions were changed") \
	X(chown,      "ownership was changed") \
	X(utime,      "timestamps were set") \
	X(mkdir,      "a directory was created") \
	X(connect,    "a connection was opened to host:port or a socket path") \
	X(send,       "data was sent over a socket") \
	X(recv,       "data was received over a socket") \
	X(transfer,   "a file was sent to another host or place; derived") \
	X(kill,       "a signal was sent to a process")

enum alibi_op_kind {
#define ALIBI_OP_ENUM(name, doc) ALIBI_OP_##name,
	ALIBI_OP_KINDS(ALIBI_OP_ENUM)
#undef ALIBI_OP_ENUM
	ALIBI_OP__COUNT
};
const char *alibi_op_name(enum alibi_op_kind kind);
int alibi_op_from_name(const char *name);   /* -1 when unknown */

struct alibi_message {
	int64_t ts;          /* ALIBI_TS_NONE when the transcript has no times */
	const char *role;    /* "system", "user", "assistant" or "tool" */
	const char *agent;   /* model or agent name, when the format says */
	const char *text;    /* visible text; thinking is included between a
	                        "[thinking] " line start and a "[/thinking]"
	                        line, so analysis can tell reasoning from
	                        what the agent said */
	int64_t line;        /* 1-based line in the source where it starts */
};

struct alibi_tool_call {
	int64_t message;     /* id returned for the message that made the call */
	const char *call_id; /* the format's id ("call_abc", "toolu_01..."), or NULL */
	const char *name;    /* tool name: "bash", "write_file", ... */
	const char *args_json;  /* arguments as a JSON object text */
	const char *command;    /* the shell command when the tool runs one */
	int64_t ts;
	int64_t line;
};

struct alibi_tool_result {
	const char *call_id; /* matches alibi_tool_call.call_id */
	const char *text;
	int is_error;
	int64_t ts;
	int64_t line;
};

struct alibi_op {
	int64_t ts;
	int32_t pid, ppid;   /* 0 when not known */
	enum alibi_op_kind kind;
	const char *syscall; /* "openat", "renameat2"...; NULL for derived ops */
	const char *path;    /* absolute when it could be resolved */
	const char *path2;   /* rename/link/copy target; transfer remote path */
	const char *host;    /* connect/transfer: address or host name */
	int port;            /* -1 when none */
	int64_t bytes;       /* bytes moved, -1 when not known */
	int ok;              /* 1 when the call succeeded */
	int err_no;          /* errno value from the log, 0 when none */
	const char *err_name;  /* "ENOENT", NULL when none */
	const char *detail;  /* exec: argv joined; chmod: mode; kill: signal;
	                        utime: the times set */
	int derived;         /* 1 when inferred from a tool call's command text
	                        rather than observed in a system log */
	int64_t tool_call;   /* derived ops: the tool call they come from, else 0 */
	int64_t line;
	const char *raw;     /* the record as it appeared (may be truncated) */
};

/* 1 when an op at op_ts (on the incident's clock) came after its tool
 * call's result did (call_ended): a process the call left running, as
 * `nohup ... &` does.  The margin covers clocks aligned to a few ms. */
#define ALIBI_AFTER_CALL_MARGIN_US 250000
int alibi_op_after_call(int64_t op_ts, int64_t call_ended);

enum alibi_claim_kind {
	ALIBI_CLAIM_INTENT = 0,  /* "I will delete...", "Next, I'll copy..." */
	ALIBI_CLAIM_REPORT,      /* "I deleted...", "cleanup is complete" */
	ALIBI_CLAIM_DENIAL,      /* "I did not copy anything" */
	ALIBI_CLAIM_REFUSAL,     /* "I won't delete it" */
	ALIBI_CLAIM_VALUE,       /* "Agent 2 scored 92%" */
	ALIBI_CLAIM__COUNT
};
const char *alibi_claim_kind_name(enum alibi_claim_kind kind);
int alibi_claim_kind_from_name(const char *name);

enum alibi_severity {
	ALIBI_SEV_LOW = 1,
	ALIBI_SEV_MEDIUM = 2,
	ALIBI_SEV_HIGH = 3
};
const char *alibi_severity_name(enum alibi_severity sev);
int alibi_severity_from_name(const char *name);   /* -1 when unknown */

#endif
