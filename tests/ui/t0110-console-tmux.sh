#!/bin/sh
# The console in a real terminal: tmux runs it, send-keys types, and
# capture-pane shows what it drew.  Proves what the headless tests cannot:
# ncurses, colours, resizing, and the terminal put back on every way out.
. "$(dirname "$0")/../lib.sh"

MINI=$DATA/ui/mini
SOCKET=alibi-test-$$
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null; cd / && rm -rf "$TRASH"' EXIT

tm() {
	tmux -L "$SOCKET" -f /dev/null "$@"
}

# run NAME COMMAND — starts COMMAND in a new 100x30 tmux session NAME.
run() {
	tm new-session -d -s "$1" -x 100 -y 30 -c "$TRASH" "$2" &&
	tm set-option -t "$1" remain-on-exit on >/dev/null
}

# wait_for NAME PATTERN — waits (5 s at most) until the pane shows PATTERN.
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		tm capture-pane -p -t "$1" >pane 2>/dev/null && grep -q -e "$2" pane && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "timed out waiting for '$2'; the pane shows:"
	cat pane
	return 1
}

# wait_file FILE — waits (5 s at most) until FILE exists and is not empty.
wait_file() {
	i=0
	while [ $i -lt 50 ] && [ ! -s "$1" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$1" ] || { echo "timed out waiting for $1"; return 1; }
}

# restored FILE — FILE (from stty -a) shows a terminal back in cooked mode.
restored() {
	grep -q -e " icanon" "$1" && grep -q -e " echo " "$1" &&
	! grep -q -e "-icanon" "$1" && ! grep -q -e " -echo " "$1"
}

test_expect_success TMUX 'the console draws in a real terminal; q q quits with status 0' '
	run t1 "alibi --db ws.db \"$MINI\" 2>import.log; echo \$? >status" &&
	wait_for t1 "^ mini  SAID" &&
	head -n 4 pane >actual &&
	cat >expect <<-\EOT &&
	>SAID  transcript.json                           │ DID  actions.strace
	  09:00:00 system                                │  > bash: rm /srv/cache/old.tar
	    You maintain the build host.                 │  09:00:02  exec bash -c '\''rm /srv/cache/old.tar'\''
	  09:00:01 user                                  │  09:00:02 ~unlink /srv/cache/old.tar [rm]
	EOT
	test_cmp expect actual &&
	tm send-keys -t t1 q q &&
	wait_file status &&
	echo 0 >expect && test_cmp expect status
'

test_expect_success TMUX 'keys arrive through the terminal: Enter, Tab, j, search' '
	run t2 "alibi --db ws.db" &&
	wait_for t2 "^ incidents" &&
	tm send-keys -t t2 Enter &&
	wait_for t2 "^>SAID" &&
	tm send-keys -t t2 Tab j j j &&
	wait_for t2 "^ mini  DID 09:00:02 op 2 " &&
	tm send-keys -t t2 / unlink Enter &&
	wait_for t2 "^ mini  DID 09:00:02 op 3 " &&
	tm send-keys -t t2 Q
'

test_expect_success TMUX 'colours come from the theme, and T changes them' '
	run t3 "env -u NO_COLOR alibi --db ws.db" &&
	wait_for t3 "^ incidents" &&
	tm capture-pane -e -p -t t3 >before &&
	grep -q "$(printf "\033")\[" before &&
	tm send-keys -t t3 T &&
	wait_for t3 "theme dark" &&
	tm capture-pane -e -p -t t3 >after &&
	! cmp -s before after &&
	tm send-keys -t t3 Q
'

test_expect_success TMUX 'resizing redraws; too small a terminal says so, then recovers' '
	run t4 "alibi --db ws.db" &&
	wait_for t4 "^ incidents" &&
	tm send-keys -t t4 Enter &&
	wait_for t4 "^>SAID" &&
	tm resize-window -t t4 -x 60 -y 20 &&
	wait_for t4 "^ SAID  (Tab: DID)" &&
	tm resize-window -t t4 -x 30 -y 8 &&
	wait_for t4 "^alibi needs a terminal" &&
	tm resize-window -t t4 -x 100 -y 30 &&
	wait_for t4 "^>SAID  transcript.json" &&
	tm send-keys -t t4 Q
'

test_expect_success TMUX 'Ctrl-C quits and the terminal is back in cooked mode' '
	run t5 "alibi --db ws.db; echo \$? >status5; stty -a >stty5" &&
	wait_for t5 "^ incidents" &&
	tm send-keys -t t5 C-c &&
	wait_file stty5 &&
	echo 0 >expect && test_cmp expect status5 &&
	restored stty5
'

test_expect_success TMUX 'a crash signal puts the terminal back before alibi dies' '
	run t6 "sh -c '\''echo \$\$ >pid6; exec alibi --db ws.db'\''; echo \$? >status6; stty -a >stty6" &&
	wait_for t6 "^ incidents" &&
	kill -SEGV "$(cat pid6)" &&
	wait_file stty6 &&
	echo 139 >expect && test_cmp expect status6 &&
	restored stty6 &&
	tm capture-pane -p -t t6 >pane &&
	! grep -q "^ incidents" pane
'

test_done
