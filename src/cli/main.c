/* main.c — alibi's entry point: global options, then one subcommand. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alibi/cli.h"
#include "alibi/strbuf.h"
#include "alibi/tui.h"

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
#define CLI_ENTRY(name, summary) { #name, cmd_##name, summary },
	CLI_COMMANDS(CLI_ENTRY)
#undef CLI_ENTRY
	{ NULL, NULL, NULL },
};

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: alibi [GLOBAL OPTIONS] [--script FILE] [PATH...]\n"
	        "       alibi [GLOBAL OPTIONS] COMMAND [ARGS]\n"
	        "\n"
	        "Lines up what an AI agent said with what it did and flags where they disagree.\n"
	        "Without a command, imports the PATHs given and opens the review console.\n"
	        "\n"
	        "Commands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out,
	        "\n"
	        "Global options (before or after the command):\n"
	        "  --db FILE      workspace (default $XDG_DATA_HOME/alibi/workspace.db)\n"
	        "  --cases DIR    case repository (default $XDG_DATA_HOME/alibi/cases)\n"
	        "  --rules FILE   extra analysis rules (see alibi-rules(5))\n"
	        "  --theme NAME   console theme\n"
	        "  -h, --help     this help; 'alibi COMMAND --help' for a command's\n"
	        "  --version      print the version\n"
	        "\n"
	        "Exit status: 0 ok, 1 findings at or above --fail-on, 2 usage,\n"
	        "3 partial input (records skipped), 4 internal error.\n");
	/* The key list comes from the console's key table, so it cannot
	 * drift from what the console does. */
	struct strbuf keys = STRBUF_INIT;
	tui_describe_keys(&keys);
	fprintf(out, "\nThe console:\n%s\nSee alibi(1).\n", sb_str(&keys));
	sb_free(&keys);
}

/* Takes "--name VALUE" or "--name=VALUE" at argv[*i]; returns 1 when it
 * matched (and advances *i past the value), -1 when the value is missing. */
static int
take_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

/* Removes the global options from argv wherever they are; stops at "--". */
static int
take_global_options(struct cli *cli, int *argc, char **argv)
{
	static const struct { const char *name; size_t offset; } globals[] = {
		{ "--db", offsetof(struct cli, db_path) },
		{ "--cases", offsetof(struct cli, cases_dir) },
		{ "--rules", offsetof(struct cli, rules_path) },
		{ "--theme", offsetof(struct cli, theme) },
	};
	int out = 1;
	int i;
	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		int matched = 0;
		for (size_t g = 0; g < sizeof globals / sizeof globals[0] && !matched; g++) {
			const char **slot = (const char **)((char *)cli + globals[g].offset);
			matched = take_value(*argc, argv, &i, globals[g].name, slot);
			if (matched < 0) {
				cli_error("%s needs a value", globals[g].name);
				return -1;
			}
		}
		if (!matched)
			argv[out++] = argv[i];
	}
	while (i < *argc)
		argv[out++] = argv[i++];
	argv[out] = NULL;
	*argc = out;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli cli = { .prog = "alibi" };
	if (take_global_options(&cli, &argc, argv))
		return EXIT_USAGE;
	if (argc < 2)
		return cmd_console(&cli, argc, argv);
	const char *name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(name, "--version") == 0) {
		printf("alibi %s\n", ALIBI_VERSION);
		return EXIT_OK;
	}
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->run(&cli, argc - 1, argv + 1);
	/* Not a command: paths (or --script) for the console.  A word that
	 * is neither a command nor an existing path is most likely a typo. */
	if (name[0] != '-' && access(name, F_OK) != 0) {
		cli_error("'%s' is neither an alibi command nor a file; see 'alibi --help'", name);
		return EXIT_USAGE;
	}
	return cmd_console(&cli, argc, argv);
}
