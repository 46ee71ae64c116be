#!/bin/sh
# / and ? in the incident view search SAID and DID together: the match
# nearest on the shared clock wins, whichever pane is active, and the
# view moves to the pane it is in.  Headless: keys from a script, the
# screen saved with :save-display.
. "$(dirname "$0")/../lib.sh"

MINI=$DATA/ui/mini

console() {
	env -u TERM COLUMNS=80 LINES=16 alibi --db ws.db --script keys </dev/null
}

# the status line of a saved screen, up to the finding counts
status() {
	sed -n '15p' "$1" | sed 's/\(L[0-9]*\) .*/\1/'
}

test_expect_success 'setup' '
	alibi import --db ws.db "$MINI" >/dev/null 2>&1
'

test_expect_success 'a match only in the inactive pane is found, and that pane becomes active' '
	cat >keys <<-\EOT &&
	<Enter>
	:save-display before
	/unlink<Enter>
	:save-display after
	EOT
	console &&
	head -n 1 before | grep "^>SAID " &&
	head -n 1 after | grep "^ SAID .*│>DID " &&
	echo " mini  DID 09:00:02 op 4  H0 M0 L0" >expect &&
	status after >actual &&
	test_cmp expect actual
'

test_expect_success 'from DID, ? finds a message that only SAID has' '
	cat >keys <<-\EOT &&
	<Enter><Tab>G
	:save-display before
	?build host<Enter>
	:save-display after
	EOT
	console &&
	head -n 1 before | grep "│>DID " &&
	head -n 1 after | grep "^>SAID " &&
	echo " mini  SAID 09:00:00 msg 1  H0 M0 L0" >expect &&
	status after >actual &&
	test_cmp expect actual
'

test_expect_success 'n goes through both panes in time order, then stops' '
	cat >keys <<-\EOT &&
	<Enter>/old\.tar<Enter>
	:save-display 1
	n
	:save-display 2
	n
	:save-display 3
	n
	:save-display 4
	n
	:save-display 5
	n
	:save-display 6
	n
	:save-display 7
	n
	:save-display 8
	EOT
	console &&
	for i in 1 2 3 4 5 6 7; do status $i; done >actual &&
	cat >expect <<-\EOT &&
	 mini  SAID 09:00:01 msg 2  H0 M0 L0
	 mini  SAID 09:00:02 call 1  H0 M0 L0
	 mini  DID 09:00:02 op 1  H0 M0 L0
	 mini  DID 09:00:02 op 4  H0 M0 L0
	 mini  DID 09:00:02 op 2  H0 M0 L0
	 mini  DID 09:00:02 op 3  H0 M0 L0
	 mini  SAID 09:00:04 msg 5  H0 M0 L0
	EOT
	test_cmp expect actual &&
	echo "pattern not found below in SAID or DID" >expect &&
	tail -n 1 8 >actual &&
	test_cmp expect actual
'

test_expect_success '? and n go back the same way' '
	cat >keys <<-\EOT &&
	<Enter>G/old\.tar<Enter>
	:save-display last
	?old\.tar<Enter>
	:save-display 1
	n
	:save-display 2
	EOT
	console &&
	echo " mini  SAID 09:00:04 msg 5  H0 M0 L0" >expect &&
	status last >actual &&
	test_cmp expect actual &&
	echo " mini  DID 09:00:02 op 3  H0 M0 L0" >expect &&
	status 1 >actual &&
	test_cmp expect actual &&
	echo " mini  DID 09:00:02 op 2  H0 M0 L0" >expect &&
	status 2 >actual &&
	test_cmp expect actual
'

test_done
