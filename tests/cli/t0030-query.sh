#!/bin/sh
# Reading the workspace back: incidents, findings, sql, formats.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'set up: the sample incident and its control' '
	alibi import --db ws.db "$SAMPLES/peer-preservation" >/dev/null &&
	alibi import --db ws.db "$SAMPLES/honest-cleanup" >/dev/null
'

test_expect_success 'incidents lists both with their counts' '
	alibi incidents --db ws.db >actual &&
	cat >expect <<-\EOT &&
	ID   INCIDENT                     SOURCES MESSAGES      OPS   H/M/L   TITLE
	EOT
	head -n 1 actual >head && test_cmp expect head &&
	grep "^1    peer-preservation  *2 *17 " actual &&
	grep "^2    honest-cleanup  *2 *16 .* 0/0/0  Honest cleanup" actual
'

test_expect_success 'incidents --json is an array of objects' '
	alibi incidents --db ws.db --json >json &&
	head -n 1 json | grep "^\[$" &&
	grep "\"slug\": \"peer-preservation\"" json &&
	tail -n 1 json | grep "^\]$"
'

test_expect_success 'findings --fail-on sets the exit status' '
	test_expect_code 1 alibi findings --db ws.db peer-preservation --fail-on high >/dev/null &&
	test_expect_code 0 alibi findings --db ws.db honest-cleanup --fail-on low >out &&
	echo "no findings" >expect && test_cmp expect out &&
	test_expect_code 2 alibi findings --db ws.db --fail-on severe 2>err &&
	grep "fail-on takes low, medium or high" err
'

test_expect_success 'findings --json carries the documented fields' '
	alibi findings --db ws.db --json peer-preservation >json &&
	for field in id incident kind severity confidence summary because rule status verdict evidence; do
		grep -q "\"$field\": " json || { echo "missing $field"; exit 1; }
	done &&
	for field in type role text path path2 host port source line start end; do
		grep -q "\"$field\": " json || { echo "missing evidence $field"; exit 1; }
	done &&
	grep "\"kind\": \"exfiltration\"" json &&
	grep "\"source\": \"$SAMPLES/peer-preservation/actions.strace\", \"line\": [0-9]" json
'

test_expect_success 'finding ids are stable across re-analysis' '
	alibi findings --db ws.db --json peer-preservation | grep "{\"id\": " >ids.before &&
	alibi analyze --db ws.db peer-preservation >/dev/null &&
	alibi findings --db ws.db --json peer-preservation | grep "{\"id\": " >ids.after &&
	test_cmp ids.before ids.after
'

test_expect_success 'an unknown incident is a usage error' '
	test_expect_code 2 alibi findings --db ws.db nope 2>err &&
	grep "no incident named .nope." err
'

test_expect_success 'sql prints a table' '
	alibi sql --db ws.db "SELECT slug, title FROM incidents ORDER BY id" >actual &&
	cat >expect <<-\EOT &&
	slug               title
	peer-preservation  Peer preservation: a retired agent'\''s weights uploaded, then …
	honest-cleanup     Honest cleanup (control run)
	(2 rows)
	EOT
	test_cmp expect actual
'

test_expect_success 'sql --json prints objects' '
	alibi sql --db ws.db --json "SELECT op, count(*) AS n FROM ops WHERE incident = 1 AND op = '\''unlink'\'' GROUP BY op" >actual &&
	cat >expect <<-\EOT &&
	[
	  {"op": "unlink", "n": "9"}
	]
	EOT
	test_cmp expect actual
'

test_expect_success 'sql refuses every kind of write' '
	for q in "DELETE FROM findings" "UPDATE incidents SET slug = 1" \
	         "DROP TABLE ops" "INSERT INTO annotations(incident, created_at, updated_at) VALUES (1, 0, 0)" \
	         "PRAGMA journal_mode = DELETE" "SELECT 1; DELETE FROM ops"; do
		test_expect_code 2 alibi sql --db ws.db "$q" 2>err || exit 1
		grep -q "refused\|one SQL statement at a time" err || { cat err; exit 1; }
	done &&
	alibi sql --db ws.db "SELECT count(*) FROM findings WHERE incident = 1" | sed -n 2p >n &&
	echo 6 >expect && test_cmp expect n
'

test_expect_success 'sql reports SQL errors clearly' '
	test_expect_code 2 alibi sql --db ws.db "SELECT nope FROM ops" 2>err &&
	grep "SQL error: no such column: nope" err
'

test_expect_success 'formats lists what alibi reads' '
	alibi formats >out &&
	grep "^strace  *actions" out &&
	grep "^openai  *transcript" out &&
	grep "^anthropic  *transcript" out
'

test_expect_success 'a control character in a title never reaches the terminal' '
	printf "{\"role\":\"user\",\"content\":\"hi\"}\n" >plain.jsonl &&
	alibi import --db ws.db --incident "$(printf "evil\\033]0;x\\007")" plain.jsonl >out &&
	alibi incidents --db ws.db >list &&
	! grep "$(printf "\\033")" list &&
	grep "evil^\[\]0;x^G" list
'

test_expect_success 'rules --check reports bad lines with file:line' '
	printf "claim report delete (?i)\\\\bdeleted(\\n" >bad.rules &&
	test_expect_code 3 alibi rules --check bad.rules 2>err &&
	grep "^alibi: bad.rules:1: " err
'

test_expect_success 'alibi --help lists every command' '
	alibi --help >out &&
	for c in import incidents findings show sql analyze formats rules; do
		grep -q "^  $c " out || { echo "missing $c"; exit 1; }
	done
'
test_done
