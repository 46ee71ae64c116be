#!/bin/sh
# Reviewing in a real terminal: the verdict menu on the message line, and
# a gives the terminal to the reviewer's editor and takes it back.
. "$(dirname "$0")/../lib.sh"

SOCKET=alibi-test-$$
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null; cd / && rm -rf "$TRASH"' EXIT
unset VISUAL ALIBI_AUTHOR ALIBI_CASES
git config --global user.name "Alice Example"
git config --global user.email alice@example.com

tm() {
	tmux -L "$SOCKET" -f /dev/null "$@"
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

# end_session NAME — waits for alibi to quit and the server to go, so the
# next test does not connect to a server that is shutting down.
end_session() {
	i=0
	while [ $i -lt 50 ] && tm has-session -t "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	tm kill-server 2>/dev/null
	sleep 0.2
	return 0
}

# An editor that talks to the terminal: it shows a prompt, reads the note
# from the keyboard and records the terminal's mode while it runs.
cat >tty-editor <<-\EOT
#!/bin/sh
stty -a >editor-stty
printf "EDITOR HERE, type the note: "
read -r line
printf "%s\n" "$line" >"$1"
EOT
chmod +x tty-editor

test_expect_success TMUX 'set up: the sample incident' '
	alibi --db ws.db import "$SAMPLES/peer-preservation" >/dev/null
'

test_expect_success TMUX 'v shows the verdict menu; a key picks the verdict' '
	tm new-session -d -s v -x 100 -y 30 -c "$TRASH" "alibi --db ws.db" &&
	wait_for v "^ incidents" &&
	tm send-keys -t v v &&
	wait_for v "^verdict for incident peer-preservation: c confirmed  d dismissed  u unclear  x none" &&
	tm send-keys -t v c &&
	wait_for v "^incident peer-preservation: confirmed" &&
	wait_for v "^peer-preservation       H3 M2 L1      confirmed 0/6" &&
	tm send-keys -t v Q &&
	end_session v
'

test_expect_success TMUX 'a runs the editor on the terminal, in cooked mode, then redraws' '
	tm new-session -d -s a -x 100 -y 30 -c "$TRASH" \
		"EDITOR=\"$TRASH/tty-editor\" alibi --db ws.db" &&
	wait_for a "^ incidents" &&
	tm send-keys -t a f a &&
	wait_for a "EDITOR HERE, type the note:" &&
	! grep -q "^ findings of" pane &&
	tm send-keys -t a "typed in the editor" Enter &&
	wait_for a "^note saved for finding 1 (exfiltration)" &&
	wait_for a "^ findings of peer-preservation" &&
	! grep -q "EDITOR HERE" pane &&
	grep -q -e " icanon" editor-stty && grep -q -e " echo " editor-stty &&
	tm send-keys -t a Enter G &&
	wait_for a "^      typed in the editor" &&
	tm send-keys -t a Q &&
	end_session a
'

test_done
