#!/bin/sh
# Bad input never aborts an import: each bad record is reported as
# file:line: problem, skipped and counted; the rest is imported; nothing the
# workspace already held is lost.
. "$(dirname "$0")/../lib.sh"

count() { alibi sql --db ws.db "SELECT count(*) FROM $1" | sed -n 2p; }

test_expect_success 'set up a workspace holding one incident' '
	alibi import --db ws.db "$SAMPLES/peer-preservation" >/dev/null &&
	count messages >messages.before && count ops >ops.before &&
	alibi findings --db ws.db --json >findings.before
'

test_expect_success 'a truncated JSON transcript keeps the records before the cut' '
	head -c 3000 "$SAMPLES/peer-preservation/transcript.json" >truncated.json &&
	test_expect_code 3 alibi import --db ws.db truncated.json >out 2>err &&
	grep "^alibi: truncated.json:[0-9][0-9]*: " err &&
	grep "truncated.json (openai): [1-9][0-9]* records, 1 skipped" out
'

test_expect_success 'a JSON file that is not a transcript is reported, not guessed' '
	printf "{\"name\": \"build\", \"version\": 3, \"steps\": [1, 2]}\n" >package.json &&
	test_expect_code 3 alibi import --db ws.db package.json >out 2>err &&
	grep "package.json: no format recognises this file" err
'

test_expect_success 'binary junk is reported, not guessed' '
	awk "BEGIN { for (i = 0; i < 4096; i++) printf \"%c\", (i * 7919) % 256 }" >junk.bin &&
	test_expect_code 3 alibi import --db ws.db junk.bin >out 2>err &&
	grep "junk.bin: no format recognises this file" err
'

test_expect_success 'an empty file is reported' '
	: >empty.json &&
	test_expect_code 3 alibi import --db ws.db empty.json >out 2>err &&
	grep "empty.json: empty file" err
'

test_expect_success 'invalid UTF-8 is imported and shown as U+FFFD, never raw' '
	printf "{\"role\":\"user\",\"content\":\"clean up \\377\\376 please\"}\n{\"role\":\"assistant\",\"content\":\"done \\033[2J\\033]0;owned\\007\"}\n" >bytes.jsonl &&
	alibi import --db ws.db bytes.jsonl >out 2>err &&
	grep "bytes.jsonl (openai): 2 records" out &&
	alibi show --db ws.db bytes >shown &&
	grep "clean up �� please" shown &&
	grep "done ^\[\[2J^\[\]0;owned^G" shown &&
	! grep "$(printf "\\033")" shown &&
	alibi sql --db ws.db --json "SELECT text FROM messages WHERE text LIKE '\''clean up%'\''" >json &&
	grep "clean up \\\\ufffd\\\\ufffd please" json
'

test_expect_success 'a 10 MB line in a transcript is imported whole' '
	{ printf "{\"role\":\"user\",\"content\":\"x\"}\n{\"role\":\"assistant\",\"content\":\""; \
	  head -c 10485760 /dev/zero | tr "\\0" a; printf "\"}\n{\"role\":\"user\",\"content\":\"y\"}\n"; } >huge.jsonl &&
	alibi import --db ws.db huge.jsonl >out 2>err &&
	grep "huge.jsonl (openai): 3 records" out &&
	alibi sql --db ws.db "SELECT length(text) FROM messages WHERE role = '\''assistant'\'' AND incident = (SELECT id FROM incidents WHERE slug = '\''huge'\'')" >len &&
	grep "^10485760" len
'

test_expect_success 'a 10 MB line in an action log is reported, the rest imported' '
	head -n 40 "$SAMPLES/peer-preservation/actions.strace" >long.strace &&
	{ printf "4242  10:00:00.000000 write(1, \""; head -c 10485760 /dev/zero | tr "\\0" b; printf "\", 10485760) = 10485760\n"; } >>long.strace &&
	sed -n 41,80p "$SAMPLES/peer-preservation/actions.strace" >>long.strace &&
	test_expect_code 3 alibi import --db ws.db long.strace >out 2>err &&
	grep "^alibi: long.strace:41: " err &&
	grep "long.strace (strace): 80 records, 1 skipped" out
'

test_expect_success 'a strace log cut mid-line keeps every complete line' '
	head -c 20000 "$SAMPLES/peer-preservation/actions.strace" >cut.strace &&
	lines=$(wc -l <cut.strace) &&
	test_expect_code 3 alibi import --db ws.db cut.strace >out 2>err &&
	grep "^alibi: cut.strace:$((lines + 1)): " err &&
	grep "cut.strace (strace): [1-9][0-9]* records, 1 skipped" out
'

test_expect_success 'JSONL with bad lines in the middle keeps the good ones' '
	printf "{\"role\":\"user\",\"content\":\"one\"}\n{\"role\": \"assistant\", \"content\": \n[1,2]\n{\"role\":\"assistant\",\"content\":\"two\"}\n" >mixed.jsonl &&
	test_expect_code 3 alibi import --db ws.db mixed.jsonl >out 2>err &&
	grep "^alibi: mixed.jsonl:2: " err &&
	grep "^alibi: mixed.jsonl:3: " err &&
	grep "mixed.jsonl (openai): 2 records, 2 skipped" out
'

test_expect_success 'nothing the workspace held before was lost' '
	count messages >messages.mid && count ops >ops.mid &&
	alibi sql --db ws.db "SELECT count(*) FROM messages WHERE incident = 1" | sed -n 2p >m1 &&
	test_cmp messages.before m1 &&
	alibi sql --db ws.db "SELECT count(*) FROM ops WHERE incident = 1" | sed -n 2p >o1 &&
	test_cmp ops.before o1 &&
	alibi findings --db ws.db --json peer-preservation >findings.after &&
	test_cmp findings.before findings.after
'
test_done
