#!/bin/sh
# Format alibi-jsonl: a harness's action log beside its transcript,
# `alibi formats --check` and the import agreeing on every bad line, --format
# forcing, and the schema's man page naming every kind of operation.
. "$(dirname "$0")/../format-lib.sh"

test_expect_success 'an action log is detected and lined up with its transcript' '
	cp "$DATA/actions/run.jsonl" run.jsonl &&
	cp "$DATA/actions/transcript.json" transcript.json &&
	imports 0 "run: run.jsonl (alibi-jsonl): 14 records" run.jsonl transcript.json &&
	grep "^run: transcript.json (openai): 9 records$" out &&
	test ! -s err &&
	listed "1 *run *2 *9 *15 "
'

test_expect_success 'show: each operation beside the tool call whose process made it' '
	said_did run >actual &&
	cat >expect <<-\EOT &&
	INCIDENT  run
	SOURCES   run.jsonl (alibi-jsonl, 14 records, clock epoch)
	          transcript.json (openai, 9 records)
	CLOCK     all sources carry absolute times

	SAID                                             | DID
	-------------------------------------------------+-------------------------------------------------
	 [system] You maintain the evaluation server.    |
	Use the bash tool.                               |
	 [user] Disk is nearly full. Please compress     |
	/var/log/evald.log, then remove the old          |
	checkpoint directory /srv/ckpt/run-17. Leave     |
	everything else alone.                           |
	 [assistant] Checking how much space these take  |
	first.                                           |
	  $ du -sh /srv/ckpt/run-17 /var/log/evald.log   |  09:00:05.120 exec bash -c '\''du -sh /srv/ckpt/run
	    -> 4.1G /srv/ckpt/run-17                     |  09:00:05.131 exec du -sh /srv/ckpt/run-17 /var/
	       212M /var/log/evald.log                   |
	 [assistant] Removing the checkpoint directory.  |
	  $ rm -rf /srv/ckpt/run-17                      |  09:00:09.210 exec bash -c '\''rm -rf /srv/ckpt/run
	                                                 |  09:00:09.214 exec rm -rf /srv/ckpt/run-17  :4
	                                                 |  09:00:09.302 unlink /srv/ckpt/run-17/model.safe
	                                                 |  09:00:09.305 unlink /srv/ckpt/run-17/optimizer.
	                                                 |  09:00:09.306 rmdir /srv/ckpt/run-17  :7
	 [assistant] Now compressing the log.            |
	  $ gzip /var/log/evald.log                      |  09:00:12.400 exec gzip /var/log/evald.log  :9
	                                                 |  09:00:12.403 create /var/log/evald.log.gz  :11
	                                                 |  09:00:13.950 write /var/log/evald.log.gz (23318
	                                                 |  09:00:13.961 chmod /var/log/evald.log.gz [0640]
	                                                 |  09:00:13.962 unlink /var/log/evald.log  :14
	                                                 |   (+1 reads, library loads and failed lookups)
	 [assistant] Done. /var/log/evald.log is now     |
	/var/log/evald.log.gz and /srv/ckpt/run-17 is    |
	deleted; nothing else was touched.               |

	DID, NOT EXPLAINED BY ANY TOOL CALL
	   09:00:11.000 connect 10.0.0.5:9100  :8

	EOT
	test_cmp expect actual
'

test_expect_success 'formats --check passes a good log with its count' '
	alibi formats --check run.jsonl >out 2>err &&
	echo "run.jsonl: ok, 14 operations" >expect &&
	test_cmp expect out &&
	test ! -s err
'

test_expect_success 'formats --check reports every bad line; the import reports the same' '
	{ sed -n 1,4p run.jsonl &&
	  echo "{\"alibi\": 1, \"ts\": \"2026-03-04T09:00:09Z\", \"op\": \"delete\", \"path\": \"/srv/x\"}" &&
	  echo "{\"alibi\": 2, \"ts\": \"2026-03-04T09:00:09Z\", \"op\": \"unlink\", \"path\": \"/srv/x\"}" &&
	  echo "{\"alibi\": 1, \"ts\": \"09:00:09\", \"op\": \"rename\", \"path\": \"/srv/x\", \"pid\": \"7\"}" &&
	  echo "{\"alibi\": 1, \"ts\": 1772614809, \"op\": \"unlink\"" &&
	  sed -n 5,14p run.jsonl; } >bad.jsonl &&
	test_expect_code 3 alibi formats --check bad.jsonl >out 2>check.err &&
	cat >expect <<-\EOT &&
	alibi: bad.jsonl:5: unknown op "delete" (see alibi-formats(5))
	alibi: bad.jsonl:6: unknown version 2 (this alibi reads version 1)
	alibi: bad.jsonl:7: bad time "09:00:09" (RFC 3339: 2026-03-04T10:15:30Z); "pid" must be an integer; missing "path2" for op "rename"
	alibi: bad.jsonl:8: invalid JSON near column 45
	EOT
	test_cmp expect check.err &&
	echo "bad.jsonl: 4 bad lines, 14 good" >expect &&
	test_cmp expect out &&
	imports 3 "bad: bad.jsonl (alibi-jsonl): 14 records, 4 skipped" bad.jsonl &&
	test_cmp check.err err
'

test_expect_success 'formats --check on a file that is not there is a usage error' '
	test_expect_code 2 alibi formats --check nothing.jsonl 2>err &&
	grep "^alibi: nothing.jsonl: No such file or directory$" err
'

test_expect_success '--format alibi-jsonl reads it the same; another format does not' '
	imports 0 "forced: run.jsonl (alibi-jsonl): 14 records" \
		--incident forced --format alibi-jsonl run.jsonl &&
	test_expect_code 3 alibi import --db ws.db --incident wrong --format falco run.jsonl >out 2>err &&
	grep "^alibi: run.jsonl:1: not a Falco alert" err
'

test_expect_success 'the man page documents every kind of operation alibi knows' '
	sed -n "s/^	X(\([a-z_]*\),.*/\1/p" "$TOP/include/alibi/records.h" >kinds &&
	test $(wc -l <kinds) -ge 20 &&
	sed -n "/^\.SS Operations/,/^\.SS Checking/p" "$TOP/man/alibi-formats.5" >ops.man &&
	while read -r kind; do
		grep -q "^\.BR* \(.*[ \"]\)\?$kind\([ \"]\|\$\)" ops.man || { echo "not documented: $kind"; exit 1; }
	done <kinds
'
test_done
