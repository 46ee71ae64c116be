/* cmd_rules.c — `alibi rules --check FILE`, `alibi rules --default` */
#include <getopt.h>
#include <stdio.h>

#include "alibi/cli.h"
#include "alibi/rules.h"

static const char rules_usage[] =
	"usage: alibi rules --check FILE\n"
	"       alibi rules --default\n"
	"\n"
	"  --check FILE   report every bad line of a rules file as FILE:LINE: PROBLEM\n"
	"  --default      print the compiled-in default rules (see alibi-rules(5))\n";

static void
print_problem(void *ctx, const char *msg)
{
	++*(int *)ctx;
	cli_error("%s", msg);
}

int
cmd_rules(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	static const struct option longopts[] = {
		{ "check", required_argument, NULL, 'c' },
		{ "default", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *check = NULL;
	int show_default = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hc:d", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': check = optarg; break;
		case 'd': show_default = 1; break;
		case 'h': fputs(rules_usage, stdout); return EXIT_OK;
		default: fputs(rules_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc || (!check && !show_default)) {
		fputs(rules_usage, stderr);
		return EXIT_USAGE;
	}
	if (show_default) {
		fputs(alibi_default_rules, stdout);
		return EXIT_OK;
	}
	struct alibi_error err = { 0 };
	int reported = 0;
	int bad = rules_check_file(check, print_problem, &reported, &err);
	if (bad < 0)
		return cli_fail(&err);
	if (bad == 0) {
		printf("%s: ok\n", check);
		return EXIT_OK;
	}
	printf("%s: %d bad line%s\n", check, bad, bad == 1 ? "" : "s");
	return EXIT_PARTIAL;
}
