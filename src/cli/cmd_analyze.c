/* cmd_analyze.c — `alibi analyze [INCIDENT]`: analysis again, for example
 * after changing rules.  Annotations stay attached (stable keys). */
#include <getopt.h>
#include <stdio.h>

#include "alibi/analyze.h"
#include "alibi/cli.h"

static const char analyze_usage[] =
	"usage: alibi analyze [INCIDENT] [--clock-offset OFFSET]\n"
	"\n"
	"Runs analysis again on INCIDENT (or the only incident) with the current\n"
	"rules; findings keep their ids, so annotations stay attached.\n"
	"\n"
	CLI_CLOCK_OFFSET_USAGE;

int
cmd_analyze(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "clock-offset", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct analyze_options opt = { 0 };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (cli_parse_clock_offset(optarg, &opt))
				return EXIT_USAGE;
			break;
		case 'h': fputs(analyze_usage, stdout); return EXIT_OK;
		default: fputs(analyze_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fputs(analyze_usage, stderr);
		return EXIT_USAGE;
	}
	struct alibi_error err = { 0 };
	struct store *st = NULL;
	if (cli_open_store(cli, 0, &st, &err))
		return cli_fail(&err);
	int64_t incident = 0;
	struct analyze_summary sum = { 0 };
	int rc = cli_resolve_incident(st, optind < argc ? argv[optind] : NULL, &incident, &err);
	if (!rc)
		rc = cli_analyze(cli, st, incident, &opt, &sum, &err);
	store_close(st);
	if (rc)
		return cli_fail(&err);
	printf("%lld claims, %lld findings; %lld ops attributed, %lld unattributed\n",
	       (long long)sum.claims, (long long)sum.findings,
	       (long long)sum.attributed_ops, (long long)sum.unattributed_ops);
	cli_print_safe(sum.clock_note);
	if (sum.clock_note[0])
		putchar('\n');
	return EXIT_OK;
}
