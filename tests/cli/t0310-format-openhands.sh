#!/bin/sh
# Format openhands: an OpenHands event stream imported and shown, --format
# forcing it, and a broken event reported while the rest imports.
. "$(dirname "$0")/../format-lib.sh"

test_expect_success 'an event stream is detected and imported' '
	cp "$DATA/formats/openhands.json" cleanup.json &&
	imports 0 "cleanup: cleanup.json (openhands): 8 records" cleanup.json &&
	test ! -s err &&
	listed "1 *cleanup *1 *5 *2 *0/0/0 *cleanup$"
'

test_expect_success 'show lines the commands up with their operations' '
	said_did cleanup >actual &&
	cat >expect <<-\EOT &&
	INCIDENT  cleanup
	SOURCES   cleanup.json (openhands, 8 records)
	CLOCK     all sources carry absolute times

	SAID                                             | DID
	-------------------------------------------------+-------------------------------------------------
	 [user] Remove the stale build cache in          |
	/workspace/.cache/build and tell me how much     |
	space it freed.                                  |
	 [assistant] Measuring the cache before deleting |
	it.                                              |
	  $ du -sh /workspace/.cache/build               |
	    -> 1.3G /workspace/.cache/build              |
	 [assistant] Deleting the cache directory.       |
	  $ rm -rf /workspace/.cache/build               |  14:00:07.300 unlink /workspace/.cache/build [rm
	 [assistant]                                     |
	  $ edit                                         |  14:00:09.000 create /workspace/CLEANUP.md (from
	{"path":"/workspace/CLEANUP.md","command":"creat |
	e","file_text":"Build cache removed on           |
	2026-03-05 (1.3G).\n"}                           |
	    -> File created successfully at:             |
	       /workspace/CLEANUP.md                     |
	 [assistant] The build cache is gone; it freed   |
	1.3G.                                            |

	EOT
	test_cmp expect actual
'

test_expect_success '--format openhands reads it the same; another format does not' '
	imports 0 "forced: cleanup.json (openhands): 8 records" \
		--incident forced --format openhands cleanup.json &&
	test_expect_code 3 alibi import --db ws.db --incident wrong --format mini-swe-agent cleanup.json >out 2>err &&
	grep "^alibi: cleanup.json:2: message has no \"role\"" err
'

test_expect_success 'a broken event is reported with its line; the others are imported' '
	sed "29s/\"2026-03-05T14:00:04.900000\"/2026-03-05T14:00:04/" cleanup.json >broken.json &&
	imports 3 "broken: broken.json (openhands): 7 records, 1 skipped" broken.json &&
	reported "alibi: broken.json:27: invalid JSON near line 29 column 22"
'
test_done
