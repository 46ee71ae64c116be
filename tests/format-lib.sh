# tests/format-lib.sh — what the tests of the import formats share
# (tests/cli/t03*-format-*.sh): lib.sh, and the steps each of them takes
# with a file of its format in ws.db.  A test sources it instead of lib.sh:
#
#   . "$(dirname "$0")/../format-lib.sh"
#   test_expect_success 'an event stream is detected and imported' '
#       cp "$DATA/formats/openhands.json" cleanup.json &&
#       imports 0 "cleanup: cleanup.json (openhands): 8 records" cleanup.json &&
#       test ! -s err &&
#       listed "1 *cleanup *1 *5 *2 "
#   '

. "$(dirname "$0")/../lib.sh"

# imports CODE SUMMARY ARG... — `alibi import --db ws.db ARG...` exits with
# CODE (0, or 3 when it reported and skipped bad records) and prints the
# line SUMMARY (a pattern, e.g. "cleanup: cleanup.json (openhands): 8
# records"); what it printed is left in out, what it reported in err.
imports() {
	want_code=$1 summary=$2
	shift 2
	test_expect_code "$want_code" alibi import --db ws.db "$@" >out 2>err &&
	grep "^$summary\$" out
}

# reported LINE... — the import reported exactly these lines (err).
reported() {
	printf '%s\n' "$@" >expect &&
	test_cmp expect err
}

# listed LINE — `alibi incidents` lists a line that starts as LINE (a
# pattern: number, slug, sources, messages, operations, ...).
listed() {
	alibi incidents --db ws.db >list &&
	grep "^$1" list
}

# said_did INCIDENT — the report up to its findings, trailing blanks
# dropped, and without the marks of finding evidence ("!"), which the
# analysis tests cover.
said_did() {
	alibi show --db ws.db "$1" |
		sed -e "/^FINDINGS/,\$d" -e "s/ *\$//" -e "s/^!/ /" -e "s/| !/|  /"
}
