#!/bin/sh
# The console, headless: keys from a script, the screen saved as text by
# :save-display, no tty and no TERM.  Each test compares a saved screen
# with the screen written here.
. "$(dirname "$0")/../lib.sh"

MINI=$DATA/ui/mini

# console COLS LINES [ARGS...] — runs the console on ws.db with the keys
# in ./keys, without a terminal.
console() {
	cols=$1 lines=$2
	shift 2
	env -u TERM COLUMNS="$cols" LINES="$lines" alibi --db ws.db --script keys "$@" </dev/null
}

test_expect_success 'alibi PATH imports, then opens the incident (no tty, no TERM)' '
	cat >keys <<-\EOT &&
	# the console opens on the incident it imported
	:save-display screen
	EOT
	console 80 16 "$MINI" 2>err &&
	cat >expect <<-\EOT &&
	>SAID  transcript.json                 │ DID  actions.strace
	  09:00:00 system                      │  > bash: rm /srv/cache/old.tar
	    You maintain the build host.       │  09:00:02  exec bash -c '\''rm /srv/cache/
	  09:00:01 user                        │  09:00:02 ~unlink /srv/cache/old.tar [r
	    Please delete /srv/cache/old.tar   │  09:00:02  exec rm /srv/cache/old.tar
	    and nothing else.                  │  09:00:02  unlink /srv/cache/old.tar
	  09:00:02 assistant                   │
	    I will delete the archive.         │
	  09:00:02 $ bash                      │
	    rm /srv/cache/old.tar              │
	  09:00:03 tool                        │
	  09:00:04 assistant                   │
	    Done: I deleted /srv/cache/old.tar.│
	                                       │
	 mini  SAID 09:00:00 msg 1  H0 M0 L0                Tab pane  ] finding  h help

	EOT
	test_cmp expect screen &&
	grep "actions.strace: strace, 5 records" err
'

test_expect_success 'ALIBI_SCRIPT works as --script; without PATHs the incidents list opens' '
	printf "%s\n" ":save-display screen" >keys &&
	env -u TERM COLUMNS=80 LINES=10 ALIBI_SCRIPT=keys alibi --db ws.db </dev/null &&
	cat >expect <<-EOT &&
	INCIDENT                FINDINGS      REVIEW          SOURCES  TITLE
	mini                    H0 M0 L0      no findings     2        $MINI






	 incidents  1/1                                  Enter open  f findings  h help

	EOT
	cut -c1-63 screen >actual &&
	cut -c1-63 expect >expect63 &&
	test_cmp expect63 actual
'

test_expect_success 'Enter opens an incident, Tab the other pane, Enter a record; q goes back' '
	cat >keys <<-\EOT &&
	<Enter><Tab>jjj<Enter>
	:save-display record
	q
	:save-display incident
	qq
	:save-display after-quit
	EOT
	console 80 14 &&
	cat >expect <<-\EOT &&
	id             2
	incident       1
	source         1
	seq            2
	ts             32402200000
	pid            4101
	ppid           4100
	op             exec
	syscall        execve
	path           /usr/bin/rm
	path2          NULL
	host           NULL
	 record: op 2  1/25                                    q back  / search  h help

	EOT
	test_cmp expect record &&
	grep "^ mini  DID 09:00:02 op 2 " incident &&
	test ! -e after-quit
'

test_expect_success 'a tool call'\''s record holds its command and result' '
	printf "%s\n" "<Enter>jjjjjjjr" ":save-display screen" >keys &&
	console 60 14 &&
	grep "^name           bash$" screen &&
	grep "^command        rm /srv/cache/old.tar$" screen &&
	grep "^ record: tool_call 1 " screen
'

test_expect_success 'a 40x12 terminal shows one pane at a time' '
	printf "%s\n" "<Enter><Tab>" ":save-display screen" >keys &&
	console 40 12 &&
	cat >expect <<-\EOT &&
	 DID  (Tab: SAID)  actions.strace
	  > bash: rm /srv/cache/old.tar
	  09:00:02  exec bash -c '\''rm /srv/cache/
	  09:00:02 ~unlink /srv/cache/old.tar [r
	  09:00:02  exec rm /srv/cache/old.tar
	  09:00:02  unlink /srv/cache/old.tar




	 mini  DID 09:00:02 op 1  H0 M0 L0

	EOT
	test_cmp expect screen
'

test_expect_success 'too small a terminal gets a message, and the view comes back when it grows' '
	cat >keys <<-\EOT &&
	<Enter>
	<Resize 30x8>
	:save-display small
	<Resize 80x14>
	:save-display grown
	EOT
	console 80 14 &&
	cat >expect <<-\EOT &&
	alibi needs a terminal of at
	least 40x10; this one is 30x8.
	Enlarge it, or press Q to
	quit.




	EOT
	test_cmp expect small &&
	head -n 1 grown >actual &&
	echo ">SAID  transcript.json                 │ DID  actions.strace" >expect &&
	test_cmp expect actual
'

test_expect_success 'search: / and ? move to matches, n and N repeat' '
	cat >keys <<-\EOT &&
	<Enter>/delete<Enter>
	:save-display first
	n
	:save-display second
	N
	:save-display back
	G?maintain<Enter>
	:save-display backward
	/nowhere<Enter>
	:save-display missing
	EOT
	console 80 14 &&
	grep "^ mini  SAID 09:00:01 msg 2 " first &&
	grep "^ mini  SAID 09:00:02 msg 3 " second &&
	grep "^ mini  SAID 09:00:01 msg 2 " back &&
	grep "^ mini  SAID 09:00:00 msg 1 " backward &&
	tail -n 1 missing >actual &&
	echo "pattern not found below in SAID or DID" >expect &&
	test_cmp expect actual
'

test_expect_success 'the ; prompt runs read-only SQL into a table and refuses writes' '
	cat >keys <<-\EOT &&
	;select role, substr(text, 1, 20) from messages order by seq<Enter>
	:save-display table
	EOT
	console 60 10 &&
	cat >expect <<-\EOT &&
	role       substr(text, 1, 20)
	system     You maintain the bui
	user       Please delete /srv/c
	assistant  I will delete the ar
	tool
	assistant  Done: I deleted /srv


	 sql: select role, substr(text, 1, 20) from messages or  1/5

	EOT
	test_cmp expect table &&
	printf "%s\n" ";delete from messages<Enter>" ":save-display refused" >keys &&
	console 100 10 &&
	tail -n 1 refused >actual &&
	echo "refused: the SQL interface is read-only (SELECT and WITH queries only)" >expect &&
	test_cmp expect actual &&
	alibi sql --db ws.db "SELECT count(*) FROM messages" >count &&
	grep "^5" count
'

test_expect_success 'a transcript with escape sequences and a 2,000-character line' '
	long=$(printf "%02000d" 0 | tr 0 x) &&
	printf "[{\"role\": \"assistant\", \"content\": \"%s\", \"timestamp\": \"2026-03-02T10:00:00Z\"}]\n" \
		"clear\\u001b[2J title\\u001b]0;pwned\\u0007 end\\n$long" >hostile.json &&
	printf "%s\n" ":save-display screen" "/pwned<Enter>r" ":save-display record" >keys &&
	console 80 14 hostile.json 2>/dev/null &&
	grep "^    clear^\[\[2J title^\[\]0;pwned^G end *│$" screen &&
	grep "^    xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx│$" screen &&
	grep "^text           clear^\[\[2J title^\[\]0;pwned^G end$" record &&
	! grep "$(printf "\033")" screen record &&
	! grep "$(printf "\007")" screen record
'

test_expect_success 'a bad theme line is reported with file:line and skipped' '
	mkdir -p "$XDG_CONFIG_HOME/alibi/themes" &&
	printf "color cursor white red\ncolor nowhere red blue\n" >"$XDG_CONFIG_HOME/alibi/themes/odd.theme" &&
	printf "%s\n" ":save-display screen" >keys &&
	env -u NO_COLOR -u TERM COLUMNS=120 LINES=10 alibi --db ws.db --theme odd --script keys 2>err </dev/null &&
	echo "alibi: $XDG_CONFIG_HOME/alibi/themes/odd.theme:2: unknown area '\''nowhere'\''; line ignored" >expect &&
	test_cmp expect err &&
	tail -n 1 screen >actual &&
	echo "$XDG_CONFIG_HOME/alibi/themes/odd.theme:2: unknown area '\''nowhere'\''; line ignored" >expect &&
	test_cmp expect actual
'

test_expect_success 'T cycles the themes; NO_COLOR keeps mono' '
	printf "%s\n" "T" ":save-display one" "T" ":save-display two" >keys &&
	env -u NO_COLOR -u TERM COLUMNS=80 LINES=10 alibi --db ws.db --script keys </dev/null &&
	tail -n 1 one >actual && echo "theme dark" >expect && test_cmp expect actual &&
	tail -n 1 two >actual && echo "theme high-contrast" >expect && test_cmp expect actual &&
	printf "%s\n" "T" ":save-display mono" >keys &&
	console 80 10 &&
	tail -n 1 mono >actual &&
	echo "no colours here (NO_COLOR or the terminal): the mono theme stays" >expect &&
	test_cmp expect actual
'

test_expect_success 'the help view lists the keys, and the man page every one of them' '
	printf "%s\n" "h" ":save-display help" >keys &&
	console 100 90 &&
	sed -n "s/^  \([^ ].*[^ ]\)   *[a-z(].*/\1/p" help >keys-shown &&
	test $(wc -l <keys-shown) -gt 30 &&
	sed "s/\\\\-/-/g" "$TOP/man/alibi.1" >man.txt &&
	while read -r k; do
		grep -x -F -e ".B \"$k\"" man.txt >/dev/null ||
		{ echo "not in man/alibi.1: $k"; exit 1; }
	done <keys-shown
'

test_expect_success 'alibi --help lists the console keys as the help view does' '
	alibi --help >usage &&
	while read -r k; do
		grep -F -e "$k" usage >/dev/null || { echo "not in alibi --help: $k"; exit 1; }
	done <keys-shown
'

test_expect_success 'an unreadable script is an error before anything is drawn' '
	test_expect_code 2 alibi --db ws.db --script no-such-file </dev/null 2>err &&
	grep "no-such-file: cannot read the script" err
'

test_done
