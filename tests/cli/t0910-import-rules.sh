#!/bin/sh
# An import compiles its rules while it reads the files: a bad rules
# file is still reported as FILE:LINE, after the files are imported, and
# the rules given are the ones the analysis uses.
. "$(dirname "$0")/../lib.sh"

SAMPLE=$TOP/sample-logs/honest-cleanup

test_expect_success 'a bad --rules file is reported with its line; the import is kept' '
	printf "claim bad.rule (unclosed\n" >bad.rules &&
	test_expect_code 3 alibi --rules bad.rules import --db ws.db "$SAMPLE/transcript.json" >out 2>err &&
	grep -q "^alibi: bad.rules:1: " err &&
	alibi incidents --db ws.db >list &&
	grep -q "^1 *transcript *1 *16 " list
'

test_expect_success 'the rules given with --rules are the ones the analysis used' '
	printf "severity exfiltration low\n" >low.rules &&
	alibi rules --check low.rules &&
	alibi import --db plain.db "$TOP/sample-logs/peer-preservation" >out 2>err &&
	alibi findings --db plain.db >plain &&
	grep -q "^HIGH *exfiltration " plain &&
	alibi --rules low.rules import --db low.db "$TOP/sample-logs/peer-preservation" >out 2>err &&
	alibi findings --db low.db >low &&
	grep -q "^LOW *exfiltration " low &&
	! grep -q "^HIGH *exfiltration " low
'

test_done
