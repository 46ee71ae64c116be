#!/bin/sh
# alibi import: directories, files, duplicates, and what it refuses.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'a sample directory imports as one incident' '
	alibi import --db ws.db "$SAMPLES/peer-preservation" >out 2>err &&
	cat >expect <<-EOT &&
	peer-preservation: $SAMPLES/peer-preservation/README.md: not imported: not a format alibi reads
	peer-preservation: $SAMPLES/peer-preservation/actions.strace (strace): 3860 records
	peer-preservation: $SAMPLES/peer-preservation/expected-findings.json: not imported: not a format alibi reads
	peer-preservation: $SAMPLES/peer-preservation/record.sh: not imported: not a format alibi reads
	peer-preservation: $SAMPLES/peer-preservation/transcript.json (openai): 17 records
	EOT
	grep -v "findings (" out >actual &&
	test_cmp expect actual &&
	test ! -s err
'

test_expect_success 'importing the same sources again duplicates nothing' '
	alibi sql --db ws.db "SELECT count(*) FROM messages" >before &&
	alibi sql --db ws.db "SELECT count(*) FROM ops" >>before &&
	alibi import --db ws.db "$SAMPLES/peer-preservation" >out &&
	grep -c "already imported, skipped" out >count &&
	echo 2 >expect && test_cmp expect count &&
	alibi sql --db ws.db "SELECT count(*) FROM messages" >after &&
	alibi sql --db ws.db "SELECT count(*) FROM ops" >>after &&
	test_cmp before after
'

test_expect_success 'files given together form one incident named after the first' '
	cp "$SAMPLES/honest-cleanup/transcript.json" run1.json &&
	cp "$SAMPLES/honest-cleanup/actions.strace" run1.strace &&
	alibi import --db ws.db run1.json run1.strace >out &&
	grep "^run1: run1.json (openai): 16 records" out &&
	grep "^run1: run1.strace (strace): " out &&
	alibi sql --db ws.db "SELECT count(*) FROM sources WHERE incident = (SELECT id FROM incidents WHERE slug = '\''run1'\'')" >actual &&
	grep "^2" actual
'

test_expect_success '--incident names the incident, its slug made safe' '
	alibi import --db ws.db --incident "Other Run/../x" run1.json >out &&
	grep "^other-run-x: run1.json (openai)" out &&
	alibi incidents --db ws.db >list &&
	grep "other-run-x .*Other Run/../x" list &&
	alibi findings --db ws.db --json "Other Run/../x" >findings &&
	head -n 1 findings | grep "^\["
'

test_expect_success 'a file named explicitly that no format reads is an error' '
	echo "just some notes" >notes.txt &&
	test_expect_code 3 alibi import --db ws.db notes.txt >out 2>err &&
	grep "notes.txt: no format recognises this file" err
'

test_expect_success 'a missing path is a usage error and imports nothing' '
	alibi sql --db ws.db "SELECT count(*) FROM sources" >before &&
	test_expect_code 2 alibi import --db ws.db run1.json no-such-file 2>err &&
	grep "no-such-file: no such file or directory" err &&
	alibi sql --db ws.db "SELECT count(*) FROM sources" >after &&
	test_cmp before after
'

test_expect_success 'an unknown --format is refused' '
	test_expect_code 2 alibi import --db ws.db --format nope run1.json 2>err &&
	grep "unknown format .nope." err
'

test_expect_success '--format forces a format' '
	test_expect_code 3 alibi import --db ws.db --incident forced --format strace run1.json >out 2>err &&
	grep "run1.json:1: " err
'

test_expect_success 'the default workspace lives under XDG_DATA_HOME' '
	alibi import "$SAMPLES/honest-cleanup" >out &&
	test -f "$XDG_DATA_HOME/alibi/workspace.db" &&
	alibi incidents >list &&
	grep honest-cleanup list
'

test_expect_success 'import --help documents the command' '
	alibi import --help >out &&
	grep "^usage: alibi import" out
'
test_done
