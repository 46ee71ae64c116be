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

# The claims are found while the action logs are read, by the thread that
# compiled the rules; analysing again afterwards finds the same ones.
test_expect_success 'the claims an import finds are those a later analysis finds' '
	alibi import --db again.db "$TOP/sample-logs/peer-preservation" "$TOP/sample-logs/score-inflation" >out 2>err &&
	q="SELECT message, rule, start, \"end\", verb, object, negated, text FROM claims ORDER BY message, start, rule" &&
	alibi sql --db again.db "$q" >imported &&
	test $(wc -l <imported) -gt 10 &&
	alibi analyze --db again.db peer-preservation >out 2>err &&
	alibi analyze --db again.db score-inflation >out 2>err &&
	alibi sql --db again.db "$q" >analysed &&
	test_cmp imported analysed
'

test_expect_success 'the claims found during the import follow --rules' '
	printf "drop report.delete.did\n" >drop.rules &&
	alibi --rules drop.rules import --db drop.db "$TOP/sample-logs/peer-preservation" >out 2>err &&
	alibi sql --db drop.db "SELECT rule FROM claims" >rules &&
	grep -q "^report.delete.and" rules &&
	! grep -q "^report.delete.did" rules
'

test_done
