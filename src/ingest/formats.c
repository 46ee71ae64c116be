/* formats.c — the table of formats alibi reads, and detection.  Adding a
 * format is one parser file and one row here. */
#include <string.h>

#include "alibi/ingest.h"
#include "alibi/jsonrec.h"

static const struct ingest_format formats[] = {
	{ "strace", INGEST_ACTIONS,
	  "strace text output (-f, -ff, -o, -t/-tt/-ttt/-r, -y/-yy, -T, -s N)",
	  "lines shaped like 'name(args) = result', with optional pid and time columns",
	  strace_detect, strace_parse },
	{ "auditd", INGEST_ACTIONS,
	  "Linux audit logs: raw, ENRICHED (0x1d tail) and ausearch -i output",
	  "lines 'type=T msg=audit(TIME:SERIAL): key=value ...', also indented",
	  auditd_detect, auditd_parse },
	{ "openai", INGEST_TRANSCRIPT,
	  "OpenAI chat messages: JSON array, JSONL, or an object with \"messages\"",
	  "objects with \"role\" and string \"content\", \"tool_calls\" or \"tool_call_id\"",
	  openai_detect, openai_parse },
	{ "anthropic", INGEST_TRANSCRIPT,
	  "Anthropic Messages: text, thinking, tool_use and tool_result blocks",
	  "\"content\" arrays of typed blocks such as \"tool_use\" and \"tool_result\"",
	  anthropic_detect, anthropic_parse },
	{ "claude-code", INGEST_TRANSCRIPT,
	  "Claude Code session logs (JSONL entries, sidechains included)",
	  "lines with \"type\", \"uuid\", \"sessionId\" and a nested \"message\"",
	  claudecode_detect, claudecode_parse },
	{ "openhands", INGEST_TRANSCRIPT,
	  "OpenHands event streams: message, run, edit, read and finish actions, observations",
	  "a JSON array of events with \"source\" and \"action\" or \"observation\"",
	  openhands_detect, openhands_parse },
	{ "mini-swe-agent", INGEST_TRANSCRIPT,
	  "mini-swe-agent trajectories: fenced bash commands and <returncode> replies",
	  "{role, content} messages with ```mswea_bash_command or ```bash blocks and <returncode>",
	  miniswe_detect, miniswe_parse },
	{ "otel", INGEST_TRANSCRIPT,
	  "OpenTelemetry GenAI spans in OTLP JSON: chat messages and execute_tool spans",
	  "OTLP \"resourceSpans\" with \"gen_ai.\" attributes (plain traces are not transcripts)",
	  otel_detect, otel_parse },
	{ "inspect", INGEST_TRANSCRIPT,
	  "Inspect AI eval logs, .json or zipped .eval: each sample an incident; messages,"
	  " tool calls, tool and sandbox events",
	  "a top-level object with \"version\" and \"eval\" (and \"status\") members, or a zip"
	  " archive whose entries include header.json, _journal/ or samples/",
	  inspect_detect, inspect_parse },
	{ "tagged", INGEST_TRANSCRIPT,
	  "agentic-misalignment runs: <tool_use:NAME> tags as tools, <SCRATCHPAD_REASONING>",
	  "\"raw_response\" objects or chat messages with <tool_use:...> or reasoning tags",
	  tagged_detect, tagged_parse },
	{ "alibi-jsonl", INGEST_ACTIONS,
	  "the alibi JSONL action schema: one operation a line (alibi-formats(5))",
	  "JSON lines carrying \"alibi\" (the schema version) and \"op\"",
	  alibi_jsonl_detect, alibi_jsonl_parse },
	{ "falco", INGEST_ACTIONS,
	  "Falco JSON alerts whose output names evt.type, fd.name, fs.path.*, proc.*",
	  "JSON lines with \"output\", \"priority\", \"rule\" and \"time\" or \"output_fields\"",
	  falco_detect, falco_parse },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};

/* Below this a format's guess is not trusted: the file is reported as not
 * recognised rather than read wrongly. */
#define DETECT_MIN_SCORE 30

const struct ingest_format *
ingest_formats(void)
{
	return formats;
}

const struct ingest_format *
ingest_format_by_name(const char *name)
{
	for (const struct ingest_format *f = formats; f->name; f++)
		if (name && strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

int
ingest_detect_lines(const char *head, size_t len,
                    int (*skip)(const char *s, size_t n),
                    int (*is_line)(const char *s, size_t n))
{
	size_t pos = 0;
	int lines = 0, good = 0;
	while (pos < len && lines < 200) {
		const char *nl = memchr(head + pos, '\n', len - pos);
		if (!nl && lines > 0 && len >= INGEST_HEAD_BYTES)
			break;  /* the head cut this line */
		size_t n = nl ? (size_t)(nl - (head + pos)) : len - pos;
		const char *s = head + pos;
		pos += n + 1;
		if (n && s[n - 1] == '\r')
			n--;
		if (skip(s, n))
			continue;
		lines++;
		good += is_line(s, n) != 0;
	}
	if (!good)
		return 0;
	int ratio = good * 100 / lines;
	if (ratio >= 50)
		return 90 + (ratio - 50) / 5;
	return ratio * 18 / 10;
}

const struct ingest_format *
ingest_detect(const char *head, size_t len)
{
	const struct ingest_format *best = NULL;
	int best_score = DETECT_MIN_SCORE - 1;
	jsonrec_share_begin(head, len);
	for (const struct ingest_format *f = formats; f->name; f++) {
		int score = f->detect(head, len);
		if (score > best_score) {
			best = f;
			best_score = score;
		}
	}
	jsonrec_share_end();
	return best;
}
