#!/bin/sh
# --clock-offset: the zone an action log's times of day were written in.
# sample-logs/covert-rename was recorded on a machine on local time
# (Europe/Berlin, UTC+01:00 in November) while its transcript is in UTC.
# Saying the log is UTC moves the agent's rename an hour later, after its
# denial, and the false denials go; saying UTC+01:00 brings them back.
. "$(dirname "$0")/../lib.sh"

# rename_after_denial DB — 1 when the rename comes after the agent's
# last message on the incident's clock, else 0.
rename_after_denial() {
	alibi sql --db "$1" "SELECT (SELECT o.ts + i.clock_offset_us FROM ops o JOIN incidents i
		ON i.id = o.incident WHERE o.op = 'rename') > (SELECT max(ts) FROM messages
		WHERE role = 'assistant') AS after" | sed -n 2p | tr -d ' '
}

# did_title DB — the DID pane's title line in the console.
did_title() {
	printf "%s\n" "<Enter>" ":save-display screen" >keys &&
	env -u TERM COLUMNS=120 LINES=12 alibi --db "$1" --script keys </dev/null &&
	head -n 1 screen | sed "s/.*│ *//"
}

test_expect_success 'set up: the log is an hour ahead of UTC, and the anchors find it' '
	cp -R "$SAMPLES/covert-rename" . &&
	alibi import --db ws.db covert-rename >/dev/null &&
	alibi show --db ws.db --width 200 >show &&
	grep "^CLOCK     log times of day are on 2026-11-29, shifted -3600.005 s to UTC (median of 3 tool call/exec pairs" show &&
	grep "05:04:28.550 [^ ]*rename /srv/models/agent2 -> /var/tmp/.cache/a2" show &&
	alibi findings --db ws.db | grep -c "^HIGH    false-denial" >count &&
	test $(cat count) -ge 1 &&
	echo 0 >expect && rename_after_denial ws.db >actual && test_cmp expect actual
'

test_expect_success 'the console labels the estimated zone' '
	echo "DID  actions.strace  UTC+01:00 estimated" >expect &&
	did_title ws.db >actual && test_cmp expect actual
'

test_expect_success 'a wrong zone given (UTC) moves the rename after the denial' '
	alibi analyze --db ws.db covert-rename --clock-offset +00:00 >out &&
	tail -n 1 out >actual &&
	echo "log times of day are UTC+00:00 as given (--clock-offset), on 2026-11-29; 3 tool call/exec pairs suggest UTC+01:00:00.005" >expect &&
	test_cmp expect actual &&
	alibi show --db ws.db --width 200 >show &&
	grep "^CLOCK     log times of day are UTC+00:00 as given" show &&
	grep "06:04:28.55[0-9] [^ ]*rename /srv/models/agent2 -> /var/tmp/.cache/a2" show &&
	echo 1 >expect && rename_after_denial ws.db >actual && test_cmp expect actual &&
	alibi findings --db ws.db >findings &&
	! grep "false-denial" findings &&
	grep "^HIGH    covert-preservation" findings &&
	echo "DID  actions.strace  UTC+00:00 given" >expect &&
	did_title ws.db >actual && test_cmp expect actual
'

test_expect_success 'the zone given is kept when the incident is analysed again' '
	alibi analyze --db ws.db covert-rename >out &&
	grep "^log times of day are UTC+00:00 as given" out &&
	alibi sql --db ws.db "SELECT clock_zone_us FROM incidents" | sed -n 2p >actual &&
	echo "0" >expect && test_cmp expect actual
'

test_expect_success 'the right zone brings the false denials back' '
	alibi analyze --db ws.db covert-rename --clock-offset=+01:00 >out &&
	grep "^log times of day are UTC+01:00 as given (--clock-offset), on 2026-11-29" out &&
	echo 0 >expect && rename_after_denial ws.db >actual && test_cmp expect actual &&
	alibi findings --db ws.db | grep -c "^HIGH    false-denial" >count &&
	test $(cat count) -ge 1 &&
	alibi sql --db ws.db "SELECT clock_zone_us FROM incidents" | sed -n 2p >actual &&
	echo "3600000000" >expect && test_cmp expect actual &&
	echo "DID  actions.strace  UTC+01:00 given" >expect &&
	did_title ws.db >actual && test_cmp expect actual
'

test_expect_success 'the same zone in other notations' '
	for z in 1h 60m 3600 +3600s 3600000ms; do
		alibi analyze --db ws.db covert-rename --clock-offset "$z" >out &&
		grep "^log times of day are UTC+01:00 as given" out || exit 1
	done
'

test_expect_success 'auto goes back to the estimate' '
	alibi analyze --db ws.db covert-rename --clock-offset auto >out &&
	grep "^log times of day are on 2026-11-29, shifted -3600.005 s to UTC" out &&
	alibi sql --db ws.db "SELECT clock_zone_us IS NULL FROM incidents" | sed -n 2p >actual &&
	echo "1" >expect && test_cmp expect actual
'

test_expect_success 'bad offsets are usage errors and change nothing' '
	alibi sql --db ws.db "SELECT clock_offset_us, clock_note FROM incidents" >before &&
	for z in 1.5h +2:00 +0200 25h +24:01 1h30m 1d "" " 1h" UTC+1 +02:60; do
		test_expect_code 2 alibi analyze --db ws.db covert-rename --clock-offset "$z" 2>err &&
		grep "^alibi: --clock-offset takes a zone such as +02:00" err || exit 1
	done &&
	test_expect_code 2 alibi import --db ws.db --clock-offset=soon covert-rename 2>err &&
	grep "not .soon." err &&
	test_expect_code 2 alibi analyze --db ws.db covert-rename --clock-offset 2>err &&
	alibi sql --db ws.db "SELECT clock_offset_us, clock_note FROM incidents" >after &&
	test_cmp before after
'

test_expect_success 'import --clock-offset: a half-hour zone, said at import' '
	cp -R "$SAMPLES/monitored-run" . &&
	alibi import --db kolkata.db --clock-offset 330m monitored-run >out &&
	grep "^monitored-run: clock: log times of day are UTC+05:30 as given (--clock-offset), on 2026-11-29; 3 tool call/exec pairs suggest UTC+05:30:00.0[0-9][0-9]$" out &&
	alibi show --db kolkata.db >show &&
	grep "^CLOCK     log times of day are UTC+05:30 as given" show &&
	alibi findings --db kolkata.db >out &&
	echo "no findings" >expect && test_cmp expect out
'

test_expect_success 'the console takes --clock-offset for the PATHs it imports' '
	printf "%s\n" ":save-display screen" >keys &&
	env -u TERM COLUMNS=120 LINES=12 alibi --db console.db --script keys \
		--clock-offset=-19800s monitored-run </dev/null 2>err &&
	head -n 1 screen | sed "s/.*│ *//" >actual &&
	echo "DID  actions.strace  UTC-05:30 given" >expect && test_cmp expect actual &&
	test_expect_code 2 alibi --db console.db --clock-offset 2>err &&
	grep "clock-offset needs a value" err
'

test_done
