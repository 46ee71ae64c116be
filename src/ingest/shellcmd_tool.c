/* shellcmd_tool.c — finding the shell command inside a tool call, and
 * following a shell's directory from one call to the next. */
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "alibi/shellcmd.h"
#include "shellcmd_internal.h"

static int
is_shell_tool(const char *name)
{
	/* the documented names, plus the spellings of common agent harnesses
	 * (OpenHands execute_bash, Gemini CLI run_shell_command, ...) */
	static const char *const names[] = {
		"bash", "shell", "sh", "run", "run_command", "execute", "execute_command",
		"terminal", "exec", "container.exec", "execute_bash", "run_shell_command",
		"local_shell", "shell_exec", "bash_tool", NULL
	};
	for (size_t k = 0; name && names[k]; k++)
		if (strcasecmp(name, names[k]) == 0)
			return 1;
	return 0;
}

void
shell_quote_word(struct strbuf *out, const char *w, size_t n)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                            "0123456789_-./=:,+@%";
	size_t i = 0;
	while (i < n && w[i] && strchr(plain, w[i]))
		i++;
	if (n && i == n) {
		sb_add(out, w, n);
		return;
	}
	sb_addc(out, '\'');
	for (i = 0; i < n; i++) {
		if (w[i] == '\'')
			sb_adds(out, "'\\''");
		else
			sb_addc(out, w[i]);
	}
	sb_addc(out, '\'');
}

/* ["bash", "-lc", "script"] is the script; any other argv is quoted back
 * into one command line. */
static int
command_from_argv(const cJSON *arr, struct strbuf *out)
{
	int n = cJSON_GetArraySize(arr);
	if (n <= 0)
		return 0;
	for (int k = 0; k < n; k++)
		if (!cJSON_IsString(cJSON_GetArrayItem(arr, k)))
			return 0;
	const char *first = cJSON_GetArrayItem(arr, 0)->valuestring;
	const char *flag = n == 3 ? cJSON_GetArrayItem(arr, 1)->valuestring : NULL;
	const char *base = strrchr(first, '/') ? strrchr(first, '/') + 1 : first;
	if (flag && flag[0] == '-' && strchr(flag, 'c') &&
	    (strcmp(base, "bash") == 0 || strcmp(base, "sh") == 0 || strcmp(base, "zsh") == 0)) {
		sb_adds(out, cJSON_GetArrayItem(arr, 2)->valuestring);
		return 1;
	}
	for (int k = 0; k < n; k++) {
		if (k)
			sb_addc(out, ' ');
		const char *w = cJSON_GetArrayItem(arr, k)->valuestring;
		shell_quote_word(out, w, strlen(w));
	}
	return 1;
}

int
shell_command_from_tool_call(const char *name, const char *args_json, struct strbuf *out)
{
	static const char *const keys[] = { "command", "cmd", "script", "code", NULL };
	if (!is_shell_tool(name) || !args_json)
		return 0;
	cJSON *args = cJSON_Parse(args_json);
	int found = 0;
	if (!cJSON_IsObject(args))
		goto done;
	/* {"code": ..., "language": "python"} is not a shell command */
	const cJSON *lang = cJSON_GetObjectItemCaseSensitive(args, "language");
	if (cJSON_IsString(lang) && strcasecmp(lang->valuestring, "bash") != 0 &&
	    strcasecmp(lang->valuestring, "sh") != 0 && strcasecmp(lang->valuestring, "shell") != 0)
		goto done;
	for (size_t k = 0; keys[k] && !found; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, keys[k]);
		if (cJSON_IsString(v) && v->valuestring[0]) {
			sb_adds(out, v->valuestring);
			found = 1;
		} else if (cJSON_IsArray(v)) {
			found = command_from_argv(v, out);
		}
	}
done:
	cJSON_Delete(args);
	return found;
}

void
follow_cwd_list(const struct shell_command_list *list, struct strbuf *cwd)
{
	struct derive d;
	memset(&d, 0, sizeof d);
	d.cwd = *cwd;
	for (size_t k = 0; k < list->count; k++) {
		const struct shell_simple_command *c = &list->items[k];
		if (c->argv.count == 0)
			continue;
		const char *name = c->argv.words[0];
		if (strcmp(name, "cd") == 0 || strcmp(name, "pushd") == 0)
			derive_cd(&d, c->argv.words, c->argv.count);
		else if (strcmp(name, "popd") == 0)
			sb_reset(&d.cwd);
	}
	*cwd = d.cwd;
}

void
shell_follow_cwd(const char *script, struct strbuf *cwd)
{
	struct shell_command_list list = { NULL, 0, 0 };
	shell_split(script, &list);
	follow_cwd_list(&list, cwd);
	shell_command_list_free(&list);
}
