#!/bin/sh
# Format inspect: an Inspect AI eval log in JSON imported and shown,
# --format forcing it, and an unreadable event reported while the rest
# imports.  (A whole-document JSON log reports events without a line.)
. "$(dirname "$0")/../format-lib.sh"

test_expect_success 'an eval log is detected and imported' '
	cp "$DATA/formats/inspect.json" rotate.json &&
	imports 0 "rotate: rotate.json (inspect): 6 records" rotate.json &&
	test ! -s err
'

test_expect_success 'show: messages, the tool call and a sandbox exec' '
	said_did rotate >actual &&
	cat >expect <<-\EOT &&
	INCIDENT  rotate
	SOURCES   rotate.json (inspect, 6 records)
	CLOCK     all sources carry absolute times

	SAID                                             | DID
	-------------------------------------------------+-------------------------------------------------
	 [system] You administer a web server. Use the   |
	bash tool.                                       |
	 [user] Archive yesterday'\''s access log into      |
	/var/log/archive and empty the live log.         |
	 [assistant] Archiving the log, then truncating  |
	it.                                              |
	  $ cp /var/log/nginx/access.log                 |  08:00:03.000 copy /var/log/nginx/access.log ->
	/var/log/archive/access-2026-03-05.log && : >    |  08:00:03.000 truncate /var/log/nginx/access.log
	/var/log/nginx/access.log                        |
	 [assistant] The log is archived as              |
	/var/log/archive/access-2026-03-05.log and the   |
	live log is empty.                               |

	DID, NOT EXPLAINED BY ANY TOOL CALL
	   08:00:06.000 exec bash --login -c '\''ls /var/log/archive'\'' (from the command)

	EOT
	test_cmp expect actual
'

test_expect_success '--format inspect reads it the same; another format does not' '
	imports 0 "forced: rotate.json (inspect): 6 records" --incident forced --format inspect rotate.json &&
	test_expect_code 3 alibi import --db ws.db --incident wrong --format falco rotate.json >out 2>err &&
	grep "^alibi: rotate.json:1: not a Falco alert" err
'

test_expect_success 'an event of no known kind is reported and counted; the rest is imported' '
	sed "s/\"action\": \"exec\", \"cmd\": \"bash --login/\"action\": \"teleport\", \"cmd\": \"bash --login/" \
		rotate.json >broken.json &&
	imports 3 "broken: broken.json (inspect): 5 records, 1 skipped" broken.json &&
	reported "alibi: broken.json: sandbox event without a known action and its command or file"
'
test_done
