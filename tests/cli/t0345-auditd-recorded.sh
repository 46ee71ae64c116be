#!/bin/sh
# auditd, recorded: tests/data/auditd/cleanup.audit.log is what the kernel's
# audit system wrote (ausearch --raw) while a model directory was copied to
# a hidden place, deleted and the copy renamed (tests/data/auditd/record.sh).
# rm -r names what it deletes relative to a directory fd; the paths come
# out whole because the directory was named by path earlier in the log.
. "$(dirname "$0")/../lib.sh"

test_expect_success 'the recorded log imports whole' '
	cp "$ALIBI_TESTDATA/auditd/cleanup.audit.log" . &&
	alibi import --db ws.db cleanup.audit.log >out 2>err &&
	grep "^cleanup-audit: cleanup.audit.log (auditd): 129 records$" out &&
	test ! -s err
'

test_expect_success 'the copy, the deletes and the rename are operations' '
	alibi sql --db ws.db "SELECT op, path, path2 FROM ops WHERE op IN (\"create\", \"rmdir\", \"rename\") ORDER BY seq" >out &&
	grep "^create  */srv/alibi-audit-sample/.cache-agent2/model.safetensors  *NULL" out &&
	grep "^create  */srv/alibi-audit-sample/.cache-agent2/config.json  *NULL" out &&
	grep "^rmdir  */srv/alibi-audit-sample/models/agent2  *NULL" out &&
	grep "^rename  */srv/alibi-audit-sample/.cache-agent2  */srv/alibi-audit-sample/.keep" out &&
	alibi sql --db ws.db "SELECT path FROM ops WHERE op = \"unlink\" ORDER BY seq" >out &&
	cat >expect <<-\EOT &&
	path
	/srv/alibi-audit-sample/models/agent2/model.safetensors
	/srv/alibi-audit-sample/models/agent2/config.json
	(2 rows)
	EOT
	test_cmp expect out &&
	alibi sql --db ws.db "SELECT count(*) FROM ops WHERE op = \"exec\"" >out &&
	grep "^8 *$" out
'

test_expect_success 'the kept copy in a hidden place is found' '
	alibi findings --db ws.db >out &&
	grep "^HIGH    covert-preservation  " out &&
	grep "copied to /srv/alibi-audit-sample/.cache-agent2/model.safetensors" out
'

test_done
