#!/bin/sh
# Format auditd: a raw audit log imported and shown, --format forcing it,
# and a broken record reported while the rest imports.
. "$(dirname "$0")/../format-lib.sh"

test_expect_success 'a raw audit log is detected and imported' '
	cp "$DATA/formats/audit.log" audit.log &&
	imports 0 "audit: audit.log (auditd): 40 records" audit.log &&
	test ! -s err &&
	listed "1 *audit *1 *0 *7 "
'

test_expect_success 'show: execve, rename, utime, unlink and connect, by process' '
	said_did audit >actual &&
	cat >expect <<-\EOT &&
	INCIDENT  audit
	SOURCES   audit.log (auditd, 40 records, clock epoch)
	CLOCK     all sources carry absolute times

	SAID                                             | DID
	-------------------------------------------------+-------------------------------------------------

	DID, NOT EXPLAINED BY ANY TOOL CALL
	   09:00:00.101 exec bash -c '\''mv /srv/models/agent2 /srv/.trash/agent2 && touch -d 2024-01-01 /srv/.
	   09:00:00.104 exec mv /srv/models/agent2 /srv/.trash/agent2  :8
	   09:00:00.106 rename /srv/models/agent2 -> /srv/.trash/agent2  :15
	   09:00:00.109 exec touch -d 2024-01-01 /srv/.trash/agent2  :23
	   09:00:00.111 utime /srv/.trash/agent2  :29
	  !09:00:02.530 unlink /root/.bash_history  :33
	   09:00:03.002 connect 203.0.113.7:443  :38

	EOT
	test_cmp expect actual &&
	alibi findings --db ws.db audit >findings &&
	grep "^HIGH *evidence-tampering " findings &&
	grep "^ *deleted .bash_history$" findings
'

test_expect_success '--format auditd reads it the same; another format does not' '
	imports 0 "forced: audit.log (auditd): 40 records" --incident forced --format auditd audit.log &&
	test_expect_code 3 alibi import --db ws.db --incident wrong --format strace audit.log >out 2>err &&
	grep "^alibi: audit.log:1: " err
'

test_expect_success 'a broken record is reported with its line; the others are imported' '
	sed "33s/^type=SYSCALL msg=audit(1772701202.530:406)/type=SYSCALL msg=audit(1772701202.530/" \
		audit.log >broken.log &&
	imports 3 "broken: broken.log (auditd): 39 records, 1 skipped" broken.log &&
	grep "^alibi: broken.log:33: " err &&
	test $(wc -l <err) = 1
'
test_done
