/* cmd_formats.c — `alibi formats`: what alibi reads and how it tells. */
#include <stdio.h>
#include <string.h>

#include "alibi/cli.h"
#include "alibi/ingest.h"

static const char formats_usage[] =
	"usage: alibi formats\n"
	"\n"
	"Lists every format alibi reads: the name --format takes, whether it is a\n"
	"transcript (what the agent said) or an action log (what it did), and what\n"
	"detection looks at.  Detection reads content, never file names.\n";

int
cmd_formats(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(formats_usage, stdout);
		return EXIT_OK;
	}
	if (argc > 1) {
		fputs(formats_usage, stderr);
		return EXIT_USAGE;
	}
	printf("%-15s %-11s %s\n", "FORMAT", "KIND", "DESCRIPTION");
	for (const struct ingest_format *f = ingest_formats(); f->name; f++) {
		printf("%-15s %-11s %s\n", f->name,
		       f->kind == INGEST_TRANSCRIPT ? "transcript" : "actions", f->description);
		printf("%-15s %-11s detects: %s\n", "", "", f->detects_on);
	}
	return EXIT_OK;
}
