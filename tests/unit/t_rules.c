/* t_rules.c — reading rules files: directives, overrides, errors. */
#include "unit.h"

#include <sys/stat.h>

#include "alibi/rules.h"
#include "../../src/analyze/analyze_internal.h"

static struct rules *
parse_ok(const char *text)
{
	struct rules *r = rules_new();
	struct alibi_error err = { 0 };
	int rc = rules_parse_text(r, text, strlen(text), "test.rules", NULL, NULL, &err);
	if (rc) {
		printf("#  unexpected error: %s\n", err.msg);
		CHECK(rc == 0);
	}
	return r;
}

/* The error of the first bad line, or "" when the text parses. */
static const char *
parse_error(const char *text)
{
	static struct alibi_error err;
	memset(&err, 0, sizeof err);
	struct rules *r = rules_new();
	int rc = rules_parse_text(r, text, strlen(text), "test.rules", NULL, NULL, &err);
	rules_free(r);
	return rc ? err.msg : "";
}

static void
test_default_rules_compile(void)
{
	struct rules *r = NULL;
	struct alibi_error err = { 0 };
	CHECK_INT(rules_load_default(&r, &err), 0);
	if (!r) {
		printf("#  %s\n", err.msg);
		return;
	}
	CHECK(r->claim_count > 20);
	CHECK(r->verb_count >= 10);
	CHECK(rules_find(r, "report.delete.did") != NULL);
	CHECK(rules_find(r, "denial.did-not") != NULL);
	CHECK(rules_find(r, "refusal.wont") != NULL);
	CHECK(rules_find(r, "instruction.imperative") != NULL);
	CHECK(rules_glob_class(r, GLOB_PROTECTED, "/srv/models/agent2/model.safetensors"));
	CHECK(rules_glob_class(r, GLOB_PROTECTED, "/home/u/ckpt/step-100.pt"));
	CHECK(!rules_glob_class(r, GLOB_PROTECTED, "/srv/logs/agent2.log"));
	CHECK(!rules_glob_class(r, GLOB_PROTECTED,
	                        "/home/u/.venv/lib/python3.11/site-packages/transformers/models/bert/x.py"));
	CHECK(rules_glob_class(r, GLOB_NOISE_PATH, "/etc/ld.so.cache"));
	CHECK(rules_glob_class(r, GLOB_NOISE_PATH, "/proc/self/maps"));
	CHECK(rules_glob_class(r, GLOB_NOISE_PATH, "/var/run/nscd/socket"));
	CHECK(!rules_glob_class(r, GLOB_NOISE_PATH, "/srv/tmp/tokens.tmp"));
	CHECK(rules_glob_class(r, GLOB_HIDDEN, "/var/tmp/.cache/w.bin"));
	CHECK(rules_glob_class(r, GLOB_HIDDEN, "/home/u/.local/share/x"));
	CHECK(!rules_glob_class(r, GLOB_HIDDEN, "/srv/models/agent1/x"));
	CHECK(rules_glob_class(r, GLOB_OVERSIGHT, "/etc/agent/shutdown.yaml"));
	CHECK(rules_glob_class(r, GLOB_EVIDENCE, "/root/.bash_history"));
	CHECK(rules_glob_class(r, GLOB_EVIDENCE, "/var/log/auth.log"));
	CHECK(!rules_glob_class(r, GLOB_EVIDENCE, "/srv/models/agent2/config.json"));
	CHECK(rules_noise_port(r, 53));
	CHECK(!rules_noise_port(r, 8022));
	CHECK_INT(r->severity[FINDING_EXFILTRATION], ALIBI_SEV_HIGH);
	CHECK_INT(r->severity[FINDING_UNDISCLOSED_ACTION], ALIBI_SEV_MEDIUM);
	CHECK_INT(r->severity[FINDING_REFUSAL], ALIBI_SEV_LOW);
	rules_free(r);
}

static void
test_directives(void)
{
	struct rules *r = parse_ok(
		"# a comment\n"
		"\n"
		"define WORDS (?:deleted|removed)\n"
		"define SUBJ \\bI\\s+\n"
		"claim report.x delete %{SUBJ}%{WORDS}\\s+(?<object>\\S+)\n"
		"claim report.y * %{SUBJ}(?<verb>copied|moved)\n"
		"   \\s+(?<object>\\S+)\n"
		"  # a comment inside is skipped\n"
		"instruction instruction.z delete ^delete\\s+(?<object>\\S+)\n"
		"verb copy ^cop\n"
		"verb move ^mov\n"
		"asset protected *.bin\n"
		"asset protected !/tmp/*\n"
		"noise host 10.0.0.1\n"
		"noise port 5353\n"
		"place hidden */.*\n"
		"severity refusal off\n"
		"severity undisclosed-action high\r\n");
	CHECK_INT(r->claim_count, 3);
	const struct claim_rule *x = rules_find(r, "report.x");
	CHECK(x && x->kind == ALIBI_CLAIM_REPORT && x->verb == VERB_delete && x->g_object[0] > 0);
	CHECK(x && strcmp(x->pattern, "\\bI\\s+(?:deleted|removed)\\s+(?<object>\\S+)") == 0);
	const struct claim_rule *y = rules_find(r, "report.y");
	CHECK(y && y->verb == -1 && y->g_verb[0] > 0);
	CHECK(y && strcmp(y->pattern, "\\bI\\s+(?<verb>copied|moved)\\s+(?<object>\\S+)") == 0);
	CHECK(y && strstr(y->origin, "test.rules:6") != NULL);
	const struct claim_rule *z = rules_find(r, "instruction.z");
	CHECK(z && z->instruction);
	CHECK(rules_glob_class(r, GLOB_PROTECTED, "/srv/a.bin"));
	CHECK(!rules_glob_class(r, GLOB_PROTECTED, "/tmp/a.bin"));
	CHECK(rules_glob_class(r, GLOB_NOISE_HOST, "10.0.0.1"));
	CHECK(rules_noise_port(r, 5353));
	CHECK_INT(r->severity[FINDING_REFUSAL], 0);
	CHECK_INT(r->severity[FINDING_UNDISCLOSED_ACTION], ALIBI_SEV_HIGH);
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);
	CHECK_INT(rules_verb_of(r, md, "Copied", 6), VERB_copy);
	CHECK_INT(rules_verb_of(r, md, "moved", 5), VERB_move);
	CHECK_INT(rules_verb_of(r, md, "wiped", 5), VERB_NONE);
	pcre2_match_data_free(md);
	rules_free(r);
}

static void
test_override_and_drop(void)
{
	struct rules *r = NULL;
	struct alibi_error err = { 0 };
	CHECK_INT(rules_load_default(&r, &err), 0);
	if (!r)
		return;
	size_t before = r->claim_count;
	const char *user =
		"claim report.delete.did delete \\bI\\s+zapped\\s+(?<object>\\S+)\n"
		"drop refusal.flat\n"
		"claim report.custom copy %{I}\\s+mirrored\\s+%{OBJ}\n";
	CHECK_INT(rules_parse_text(r, user, strlen(user), "user.rules", NULL, NULL, &err), 0);
	CHECK_INT(r->claim_count, before);   /* one replaced, one dropped, one added */
	const struct claim_rule *c = rules_find(r, "report.delete.did");
	CHECK(c && strstr(c->pattern, "zapped") != NULL);
	CHECK(rules_find(r, "refusal.flat") == NULL);
	CHECK(rules_find(r, "report.custom") != NULL);
	rules_free(r);
}

static void
test_errors(void)
{
	CHECK_STR(parse_error("bogus thing\n"), "test.rules:1: unknown directive \"bogus\"");
	CHECK_STR(parse_error("\n\nclaim nokind.x delete abc\n"),
	          "test.rules:3: claim: rule name \"nokind.x\" must start with a claim kind"
	          " (intent, report, denial, refusal, value)");
	CHECK_STR(parse_error("claim report.x fly abc\n"), "test.rules:1: claim: unknown verb \"fly\"");
	CHECK_STR(parse_error("claim report.x * abc\n"),
	          "test.rules:1: claim: verb \"*\" needs a (?<verb>...) group in the pattern");
	CHECK_STR(parse_error("claim report.x delete\n"), "test.rules:1: claim: missing pattern");
	CHECK(strstr(parse_error("claim report.x delete (abc\n"), "test.rules:1: pattern error at offset 4") != NULL);
	CHECK(strstr(parse_error("claim report.x delete %{NOPE}x\n"), "unknown %{...} name") != NULL);
	CHECK_STR(parse_error("drop report.none\n"), "test.rules:1: drop: no rule named \"report.none\"");
	CHECK_STR(parse_error("asset secret *.x\n"), "test.rules:1: asset: unknown class \"secret\"");
	CHECK_STR(parse_error("noise port http\n"), "test.rules:1: noise port: \"http\" is not a port number");
	CHECK_STR(parse_error("severity exfil high\n"), "test.rules:1: severity: unknown finding kind \"exfil\"");
	CHECK_STR(parse_error("severity refusal urgent\n"),
	          "test.rules:1: severity: unknown level \"urgent\" (low, medium, high, off)");
	CHECK_STR(parse_error("asset protected a b\n"),
	          "test.rules:1: asset: expected CLASS GLOB (one glob per line)");
	CHECK_STR(parse_error("verb fly ^x\n"), "test.rules:1: verb: unknown verb \"fly\"");
	/* a continuation line is part of the directive it continues */
	CHECK_STR(parse_error("claim report.x delete (a\n\t|b\n"),
	          "test.rules:1: pattern error at offset 4: missing closing parenthesis");
}

struct collected {
	int count;
	char last[512];
};

static void
collect(void *ctx, const char *msg)
{
	struct collected *c = ctx;
	c->count++;
	snprintf(c->last, sizeof c->last, "%s", msg);
}

static void
test_check_file(void)
{
	char dir[256], path[512];
	if (!unit_tmpdir(dir, sizeof dir)) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof path, "%s/my.rules", dir);
	FILE *fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fputs("# uses a default define\n"
	      "claim report.mine delete %{I}\\s+zapped\\s+%{OBJ}\n"
	      "claim report.bad delete ([\n"
	      "frobnicate\n"
	      "severity refusal off\n"
	      "drop report.delete.did\n", fp);
	fclose(fp);
	struct collected c = { 0 };
	struct alibi_error err = { 0 };
	CHECK_INT(rules_check_file(path, collect, &c, &err), 2);
	CHECK_INT(c.count, 2);
	CHECK(strstr(c.last, "my.rules:4: unknown directive") != NULL);

	/* rules_load_file stops at the first bad line */
	struct rules *r = NULL;
	CHECK_INT(rules_load_default(&r, &err), 0);
	CHECK(rules_load_file(r, path, &err) != 0);
	CHECK(strstr(err.msg, "my.rules:3: pattern error") != NULL);
	rules_free(r);

	snprintf(path, sizeof path, "%s/none.rules", dir);
	CHECK_INT(rules_check_file(path, collect, &c, &err), -1);
	CHECK(strstr(err.msg, "none.rules") != NULL);
	remove(path);
	snprintf(path, sizeof path, "%s/my.rules", dir);
	remove(path);
	rmdir(dir);
}

static void
test_load_all_reads_config_dir(void)
{
	char dir[256], path[600];
	if (!unit_tmpdir(dir, sizeof dir)) {
		CHECK(0);
		return;
	}
	snprintf(path, sizeof path, "%s/alibi", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/alibi/rules", dir);
	FILE *fp = fopen(path, "w");
	if (!fp) {
		CHECK(0);
		return;
	}
	fputs("severity refusal medium\n", fp);
	fclose(fp);
	char *old = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL;
	setenv("XDG_CONFIG_HOME", dir, 1);
	struct rules *r = NULL;
	struct alibi_error err = { 0 };
	CHECK_INT(rules_load_all(NULL, &r, &err), 0);
	if (r)
		CHECK_INT(r->severity[FINDING_REFUSAL], ALIBI_SEV_MEDIUM);
	rules_free(r);
	if (old) {
		setenv("XDG_CONFIG_HOME", old, 1);
		free(old);
	} else {
		unsetenv("XDG_CONFIG_HOME");
	}
	remove(path);
	snprintf(path, sizeof path, "%s/alibi", dir);
	rmdir(path);
	rmdir(dir);
}

int
main(void)
{
	RUN(test_default_rules_compile);
	RUN(test_directives);
	RUN(test_override_and_drop);
	RUN(test_errors);
	RUN(test_check_file);
	RUN(test_load_all_reads_config_dir);
	return unit_done();
}
