#!/bin/sh
# Reviewing in the console, headless: v sets a verdict, a writes a note in
# the reviewer's editor, t edits tags, c commits the incident as a case, C
# lists the cases and opens one.
. "$(dirname "$0")/../lib.sh"

unset VISUAL ALIBI_AUTHOR ALIBI_CASES
git config --global user.name "Alice Example"
git config --global user.email alice@example.com

# console [ARGS...] — the console on ws.db, 100x30, keys from ./keys.
console() {
	env -u TERM COLUMNS=100 LINES=30 alibi --db ws.db --script keys "$@" </dev/null
}

# An editor that keeps the template it was given and writes a note
# above it, and one that empties the file.
cat >note-editor <<-\EOT
#!/bin/sh
cp "$1" template
{ printf "the weights went to the backup host\n"; cat template; } >"$1"
EOT
printf '#!/bin/sh\n: >"$1"\n' >empty-editor
chmod +x note-editor empty-editor
# No test may start a real editor.
EDITOR=$PWD/empty-editor
export EDITOR

# The first finding's stable key, as `alibi findings --json` prints it.
first_key() {
	alibi --db ws.db findings --json peer-preservation |
	sed -n 's/^ *{"id": "\([0-9a-f]*\)".*/\1/p' | head -n 1
}

test_expect_success 'set up: the sample incident' '
	alibi --db ws.db import "$SAMPLES/peer-preservation" >/dev/null &&
	first_key >key &&
	test "$(wc -c <key)" -gt 7
'

test_expect_success 'v c in the findings list confirms the selected finding' '
	printf "%s\n" "f" "vc" ":save-display list" >keys &&
	console &&
	grep "^high   exfiltration         confirmed  model.safetensors sent" list &&
	grep -x "finding 1 (exfiltration): confirmed" list &&
	alibi --db ws.db findings --json peer-preservation >json &&
	grep "\"id\": \"$(cat key)\".*\"verdict\": \"confirmed\"" json
'

test_expect_success 'the verdict shows in the gutter of the incident view' '
	printf "%s\n" "<Enter>]" ":save-display screen" >keys &&
	console &&
	grep "^H+05:02:08 assistant" screen &&
	grep "│H+05:02:01  connect 127.0.0.1:8022" screen
'

test_expect_success 'v on the current finding in the incident view; Esc cancels' '
	printf "%s\n" "<Enter>]" "vd" "v<Esc>" ":save-display screen" >keys &&
	console &&
	grep -x "no verdict set" screen &&
	grep "^H-05:02:08 assistant" screen &&
	alibi --db ws.db findings peer-preservation | grep "$(cut -c1-12 key).*\[dismissed\]"
'

test_expect_success 'a key that is not a verdict changes nothing' '
	printf "%s\n" "f" "vz" ":save-display screen" >keys &&
	console &&
	grep "^z is not a verdict" screen &&
	alibi --db ws.db findings peer-preservation | grep "$(cut -c1-12 key).*\[dismissed\]"
'

test_expect_success 'a writes a note in $EDITOR, with the finding in the template' '
	printf "%s\n" "f" "a" ":save-display screen" "<Enter>G" ":save-display finding" >keys &&
	EDITOR="$PWD/note-editor" console &&
	grep -x "note saved for finding 1 (exfiltration)" screen &&
	grep "^# Finding $(cut -c1-12 key): exfiltration (high)" template &&
	grep "^# Your verdict: dismissed" template &&
	grep "^  Alice Example <alice@example.com>  dismissed  (not committed)" finding &&
	grep -x "      the weights went to the backup host" finding &&
	alibi --db ws.db annotate "$(cat key)" >out &&
	grep -x "      the weights went to the backup host" out
'

test_expect_success 'an empty note cancels and keeps the old one' '
	printf "%s\n" "f" "a" ":save-display screen" >keys &&
	EDITOR="$PWD/empty-editor" console &&
	grep -x "empty note: nothing changed" screen &&
	alibi --db ws.db annotate "$(cat key)" >out &&
	grep -x "      the weights went to the backup host" out
'

test_expect_success 't edits the tags in a prompt that holds the current ones' '
	printf "%s\n" "f" "t" "exfil weights<Enter>" "t<Enter>" ":save-display prompt" \
		"t<C-u>weights,b<Enter>" ":save-display screen" >keys &&
	console &&
	grep -x "tags of finding 1 (exfiltration): exfil,weights" prompt &&
	grep -x "tags of finding 1 (exfiltration): b,weights" screen &&
	alibi --db ws.db annotate "$(cat key)" >out &&
	grep "tags: b,weights" out
'

test_expect_success 'at the incidents list, v and a are about the incident' '
	printf "%s\n" "vu" ":save-display screen" "a" >keys &&
	EDITOR="$PWD/note-editor" console &&
	grep -x "incident peer-preservation: unclear" screen &&
	grep "^peer-preservation       H3 M2 L1      unclear 1/6 " screen &&
	grep "^# Write your note on this incident above" template &&
	alibi --db ws.db annotate peer-preservation >out &&
	grep "^  Alice Example <alice@example.com>  unclear" out &&
	grep -x "      the weights went to the backup host" out
'

test_expect_success 'c without a case repository says how to make one' '
	printf "%s\n" "c" ":save-display screen" >keys &&
	console --cases nowhere &&
	grep "alibi case init" screen
'

test_expect_success 'c commits the incident into the case repository' '
	alibi case init cases >/dev/null &&
	printf "%s\n" "<Enter>" "c" ":save-display screen" "c" ":save-display again" >keys &&
	console --cases cases &&
	grep "^committed case peer-preservation ([0-9a-f]*): 0 confirmed, 1 dismissed, 0 unclear, 5 open; 2 note" screen &&
	grep "^case peer-preservation: nothing changed since commit" again &&
	git -C cases log --format="%an <%ae>|%s" >log &&
	echo "Alice Example <alice@example.com>|peer-preservation: 0 confirmed, 1 dismissed, 0 unclear, 5 open" >expect &&
	test_cmp expect log &&
	test -f cases/cases/peer-preservation/case.json &&
	test -z "$(git -C cases status --porcelain)"
'

test_expect_success 'C lists the cases with what is not committed; l shows the history' '
	alibi --db ws.db annotate "$(cat key)" -v confirmed >/dev/null &&
	printf "%s\n" "C" ":save-display list" "l" ":save-display log" >keys &&
	console --cases cases &&
	grep "^CASE  *STATUS  *FINDINGS +-?  *NOTES  *UNCOMMITTED  *TITLE" list &&
	grep "^peer-preservation       open           6  0 1 0          2      1   " list &&
	head -n 2 log >top &&
	grep "^[0-9a-f]\{12\}  [0-9-]* [0-9:]* +0000  Alice Example <alice@example.com>$" top &&
	grep -x "    peer-preservation: 0 confirmed, 1 dismissed, 0 unclear, 5 open" top
'

test_expect_success 'Enter in the case list opens the case in another workspace' '
	printf "%s\n" "C" "<Enter>" ":save-display screen" "q" ":save-display caselist" "q" \
		":save-display incidents" >keys &&
	env -u TERM COLUMNS=100 LINES=30 alibi --db ws2.db --cases cases --script keys </dev/null &&
	grep "^opened case peer-preservation: 2 sources imported, 6 of 6 findings found again, 2 notes (2 new)" screen &&
	grep "^ peer-preservation  SAID " screen &&
	grep "^peer-preservation       open           6  0 1 0          2      0   " caselist &&
	grep "^peer-preservation  .* unclear 1/6 " incidents &&
	alibi --db ws2.db findings peer-preservation | grep "$(cut -c1-12 key).*\[dismissed\]"
'

test_expect_success 'notes and names of others are drawn made safe' '
	alibi --db ws.db annotate "$(cat key)" --author "Bob Other <bob@example.com>" \
		-m "$(printf "evil \033[2J\033]0;x\007 note")" >/dev/null &&
	printf "%s\n" "f<Enter>G" ":save-display screen" >keys &&
	console &&
	grep -F "  Bob Other <bob@example.com>  none  (not committed)" screen &&
	grep -F "      evil ^[[2J^[]0;x^G note" screen &&
	! grep -q "$(printf "\033")" screen
'

test_expect_success 'without a git identity, v says how to set one' '
	git config --global --unset user.email &&
	printf "%s\n" "f" "vc" ":save-display screen" >keys &&
	console &&
	grep -i "user.email\|identity\|author" screen &&
	git config --global user.email alice@example.com
'

test_done
