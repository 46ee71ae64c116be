#!/bin/sh
# The console, key by key: every binding of the key table and of the
# prompts is pressed at least once and its effect checked; every view at
# 40x12; resizing; hostile text (escape sequences, wide, combining and
# invalid UTF-8, a 2,000-character line); themes and NO_COLOR; and the
# key lists of `alibi --help` and man/alibi.1 against each other.  Headless
# (--script, :save-display) where it can be; tmux where only a real
# terminal shows the effect.
. "$(dirname "$0")/../lib.sh"

MINI=$DATA/ui/mini
COVERT=$SAMPLES/covert-rename
SOCKET=alibi-cov-$$
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null; cd / && rm -rf "$TRASH"' EXIT

# A table of 50 rows and three columns, the second too wide for the screen.
SQL50=";with recursive c(x) as (select 1 union all select x + 1 from c where x < 50) select x, printf('%0100d', x) as wide, 'end' as e from c<Enter>"

# screen DB COLS LINES [ARGS...] — runs the script ./keys on DB headless.
screen() {
	db=$1 cols=$2 lines=$3
	shift 3
	env -u TERM COLUMNS="$cols" LINES="$lines" alibi --db "$db" --script keys "$@" </dev/null
}

# press KEY DB LINE — types the script line LINE on DB (60x12, colours
# allowed; $PCOLS x $PLINES when set), then saves the screen to ./out; KEY is noted as tested.
press() {
	echo "$1" >>"$TRASH/keys-tested"
	rm -f out
	printf "%s\n" "$3" ":save-display out" >keys &&
	env -u TERM -u NO_COLOR COLUMNS=${PCOLS:-60} LINES=${PLINES:-12} alibi --db "$TRASH/$2" --script keys \
		</dev/null 2>err
}

# shows PATTERN — the status bar or the message line of ./out matches.
shows() {
	tail -n 2 out | grep -e "$1" >/dev/null && return 0
	echo "expected '$1' in the last two lines of:"
	cat out
	return 1
}

# edit KEY LINE FILES — types LINE (prompt editing) on ws.db in a fresh
# directory; the files it leaves (bar ./keys) must be exactly FILES.
edit() {
	echo "$1" >>"$TRASH/edits-tested"
	rm -rf "$TRASH/e" && mkdir "$TRASH/e" && cd "$TRASH/e" &&
	printf "%s\n" "$2" >keys &&
	env -u TERM COLUMNS=60 LINES=12 alibi --db "$TRASH/ws.db" --script keys </dev/null &&
	ls | grep -v "^keys$" >"$TRASH/actual"
	printf "%s\n" $3 >"$TRASH/expect"
	cd "$TRASH" && test_cmp expect actual
}

# width_ok FILE COLS LINES — FILE has LINES lines, none wider than COLS.
width_ok() {
	test "$(wc -l <"$1")" = "$3" || { echo "$1: $(wc -l <"$1") lines, not $3"; return 1; }
	test "$(wc -L <"$1")" -le "$2" || { echo "$1: a line wider than $2:"; cat "$1"; return 1; }
}

test_expect_success 'setup: two workspaces' '
	alibi import --db ws.db "$MINI" >/dev/null 2>&1 &&
	alibi import --db cov.db "$COVERT" >/dev/null 2>&1 &&
	alibi findings --db cov.db >findings &&
	test $(wc -l <findings) -gt 4
'

# ---- every key of the key table --------------------------------------

test_expect_success 'key j: next line' 'press j ws.db "${SQL50}j" && shows "  2/50"'
test_expect_success 'key Down: next line' 'press Down ws.db "$SQL50<Down>" && shows "  2/50"'
test_expect_success 'key WheelDown: next line' 'press WheelDown ws.db "$SQL50<WheelDown>" && shows "  2/50"'
test_expect_success 'key k: previous line' 'press k ws.db "${SQL50}jjjk" && shows "  3/50"'
test_expect_success 'key Up: previous line' 'press Up ws.db "${SQL50}jjj<Up>" && shows "  3/50"'
test_expect_success 'key WheelUp: previous line' 'press WheelUp ws.db "${SQL50}jjj<WheelUp>" && shows "  3/50"'
test_expect_success 'key PgDn: next page' 'press PgDn ws.db "$SQL50<PgDn>" && shows "  9/50"'
test_expect_success 'key Space: next page' 'press Space ws.db "$SQL50<Space>" && shows "  9/50"'
test_expect_success 'key C-f: next page' 'press C-f ws.db "$SQL50<C-f>" && shows "  9/50"'
test_expect_success 'key PgUp: previous page' 'press PgUp ws.db "${SQL50}G<PgUp>" && shows "  42/50"'
test_expect_success 'key b: previous page' 'press b ws.db "${SQL50}Gb" && shows "  42/50"'
test_expect_success 'key C-b: previous page' 'press C-b ws.db "${SQL50}G<C-b>" && shows "  42/50"'
test_expect_success 'key G: last line' 'press G ws.db "${SQL50}G" && shows "  50/50"'
test_expect_success 'key End: last line' 'press End ws.db "$SQL50<End>" && shows "  50/50"'
test_expect_success 'key g: first line' 'press g ws.db "${SQL50}Gg" && shows "  1/50"'
test_expect_success 'key Home: first line' 'press Home ws.db "${SQL50}G<Home>" && shows "  1/50"'

test_expect_success 'keys Right and Left scroll a table by a column' '
	press Right ws.db "$SQL50<Right>" &&
	shows "  1/50 col 2/3" &&
	head -n 2 out >actual &&
	cat >expect <<-\EOT &&
	wide                                      e
	0000000000000000000000000000000000000000  end
	EOT
	test_cmp expect actual &&
	press Left ws.db "$SQL50<Right><Right><Left>" &&
	shows "  1/50 col 2/3" &&
	press Left ws.db "$SQL50<Right><Left>" &&
	head -n 1 out >actual &&
	echo "x   wide                                      e" >expect &&
	test_cmp expect actual
'

test_expect_success 'key ]: next finding, key [: previous one' '
	press "]" cov.db "<Enter>]" && shows " finding 1/8" &&
	press "]" cov.db "<Enter>]]" && shows " finding 2/8" &&
	press "[" cov.db "<Enter>]][" && shows " finding 1/8" &&
	press "]" cov.db "<Enter>]<Enter>]" && shows "^ finding 2 of 8: false-report" &&
	press "[" cov.db "<Enter>]<Enter>][" && shows "^ finding 1 of 8: covert-preservation"
'

test_expect_success 'key Click: selects the row clicked; a second click opens it' '
	press Click ws.db "$SQL50<Click 0,3>" && shows "  3/50" &&
	press Click ws.db "<Click 3,1>" && shows "^ mini  SAID 09:00:00 msg 1 " &&
	press Click cov.db "f<Click 3,3>" && shows "^ findings of covert-rename  3/8" &&
	press Click cov.db "f<Click 3,3><Click 3,3>" && shows "^ finding 3 of 8: false-denial" &&
	PCOLS=80 PLINES=14 &&
	press Click ws.db "<Enter><Click 50,3>" && shows "^ mini  DID 09:00:02 op 4 " &&
	press Click ws.db "<Enter><Click 50,3><Click 50,3>" && shows "^ record: op 4 " &&
	press Click ws.db "<Enter><Click 5,3>" && shows "^ mini  SAID 09:00:01 msg 2 "
'

test_expect_success 'a click off the rows (status bar, message line, far away) changes nothing' '
	press Click ws.db "${SQL50}jj<Click 5,10><Click 5,11><Click 999,999><Click 0,0>" &&
	shows "  3/50" &&
	press Click ws.db "<Enter><Click 5,10><Click 5,11><Click 999,999>" &&
	shows "^ mini  SAID 09:00:00 msg 1 " &&
	press Click ws.db "h<Click 5,10><Click 5,11>" &&
	shows "^ help: keys, commands, prompt editing  1/"
'

test_expect_success 'key Enter: opens the incident, the finding, the record' '
	press Enter ws.db "<Enter>" && shows "^ mini  SAID 09:00:00 msg 1 " &&
	press Enter cov.db "f<Enter>" && shows "^ finding 1 of 8: covert-preservation" &&
	press Enter ws.db "<Enter>jj<Enter>" && shows "^ record: message 2 "
'

test_expect_success 'keys q and Esc: back; from the first view they quit' '
	press q ws.db "<Enter>q" && shows "^ incidents  1/1" &&
	press Esc ws.db "<Enter><Esc>" && shows "^ incidents  1/1" &&
	press q ws.db "q" && test ! -e out &&
	press Esc ws.db "<Esc>" && test ! -e out
'

test_expect_success 'keys Tab and S-Tab: switch pane' '
	press Tab ws.db "<Enter><Tab>" && shows "^ mini  DID " &&
	press Tab ws.db "<Enter><Tab><Tab>" && shows "^ mini  SAID " &&
	press S-Tab ws.db "<Enter><S-Tab>" && shows "^ mini  DID " &&
	head -n 1 out >actual &&
	echo " DID  (Tab: SAID)  actions.strace" >expect &&
	test_cmp expect actual
'

test_expect_success 'key f: findings list; key r: raw record' '
	press f cov.db "f" && shows "^ findings of covert-rename  1/8" &&
	press f ws.db "<Enter>f" && shows "^ findings of mini  empty " &&
	press r ws.db "<Enter>r" && shows "^ record: message 1 " &&
	press r ws.db "<Enter><Tab>r" && shows "^ record: op 1 "
'

test_expect_success 'keys h and F1: the help view' '
	press h ws.db "h" && shows "^ help: keys, commands, prompt editing  1/" &&
	press F1 ws.db "<Enter><F1>" && shows "^ help: keys, commands, prompt editing  1/" &&
	press q ws.db "<Enter><F1>q" && shows "^ mini  SAID "
'

test_expect_success 'keys / ? n N: search both ways and repeat' '
	press / ws.db "<Enter>/delete<Enter>" && shows "^ mini  SAID 09:00:01 msg 2 " &&
	press n ws.db "<Enter>/delete<Enter>n" && shows "^ mini  SAID 09:00:02 msg 3 " &&
	press N ws.db "<Enter>/delete<Enter>nN" && shows "^ mini  SAID 09:00:01 msg 2 " &&
	press ? ws.db "<Enter>G?delete<Enter>" && shows "^ mini  SAID 09:00:02 msg 3 " &&
	press n ws.db "<Enter>G?delete<Enter>n" && shows "^ mini  SAID 09:00:01 msg 2 " &&
	press N ws.db "<Enter>G?delete<Enter>nN" && shows "^ mini  SAID 09:00:02 msg 3 "
'

test_expect_success 'keys ; and :: the SQL and command prompts' '
	press ";" ws.db ";select 41 + 1 as answer<Enter>" &&
	shows "^ sql: select 41 + 1 as answer  1/1" &&
	head -n 2 out >actual && printf "answer\n42\n" >expect && test_cmp expect actual &&
	press ":" ws.db ":theme" &&
	shows "^themes: default\* dark high-contrast light mono$"
'

test_expect_success 'key T: next theme' '
	press T ws.db "T" && shows "^theme dark$" &&
	press T ws.db "TTTTT" && shows "^theme default$"
'

test_expect_success 'key C-l: redraws (and is no unknown key)' '
	press C-l ws.db "x" && shows "^x does nothing; h lists the keys$" &&
	press C-l ws.db "x<C-l>" && test -z "$(tail -n 1 out)" &&
	shows "^ incidents  1/1 "
'

test_expect_success 'keys Q and C-c: quit from any view, status 0' '
	press Q ws.db "<Enter>r<F1>Q" && test ! -e out &&
	press C-c ws.db "<Enter>r<F1><C-c>" && test ! -e out &&
	press Q ws.db "<Enter>rQ" && test ! -e out
'

test_expect_success 'commands :quit and :q quit; an unknown command says so' '
	press ":" ws.db ":quit" && test ! -e out &&
	press ":" ws.db "<Enter>r:q<Enter>" && test ! -e out &&
	press ":" ws.db ":frob" && shows "^unknown command :frob (h lists the commands)$"
'

test_expect_success 'every key of the key table was pressed above' '
	alibi --help >usage &&
	sed -n "/^The console:/,/^Commands (after :):/p" usage |
		sed -E -n "s/^  ([^ ](.*[^ ])?)  +[^ ].*/\1/p" |
		sed "s/, /\n/g" | sort -u >table &&
	test $(wc -l <table) -gt 30 &&
	# The reviewing keys need an editor, a case repository and a git
	# identity; t0150-console-annotate.sh presses each in a test whose
	# title starts with the key.
	for k in v a t c C l; do
		grep -Eq "^test_expect_success .($k |.*; $k )" \
			"$TOP/tests/ui/t0150-console-annotate.sh" && echo "$k" >>keys-tested
	done
	sort -u keys-tested >pressed &&
	comm -23 table pressed >missing &&
	{ test ! -s missing || { echo "keys no test above presses:"; cat missing; exit 1; }; }
'

# ---- the prompts: every editing key, and the histories -------------------

test_expect_success 'prompt Left and C-b: cursor left' '
	edit Left "<C-l>:save-display ac<Left>b<Enter>" abc &&
	edit C-b "<C-l>:save-display ac<C-b>b<Enter>" abc
'
test_expect_success 'prompt Right and C-f: cursor right' '
	edit Right "<C-l>:save-display bc<Left><Left>a<Right><Right>d<Enter>" abcd &&
	edit C-f "<C-l>:save-display bc<Left><Left>a<C-f><C-f>d<Enter>" abcd
'
test_expect_success 'prompt Home, C-a, End, C-e: the ends of the line' '
	edit Home "<C-l>:ave-display h<Home>s<Enter>" h &&
	edit C-a "<C-l>:ave-display h<C-a>s<Enter>" h &&
	edit End "<C-l>:save-display y<Home><End>z<Enter>" yz &&
	edit C-e "<C-l>:save-display y<C-a><C-e>z<Enter>" yz
'
test_expect_success 'prompt Backspace, Del and C-d delete a character' '
	edit Backspace "<C-l>:save-display abx<Backspace>c<Enter>" abc &&
	edit Del "<C-l>:save-display abxc<Left><Left><Del><Enter>" abc &&
	edit C-d "<C-l>:save-display abxc<Left><Left><C-d><Enter>" abc &&
	edit Backspace "<C-l>:save-display a漢<Backspace>b<Enter>" ab &&
	edit Left "<C-l>:save-display 漢c<Left>b<Enter>" 漢bc
'
test_expect_success 'prompt C-u, C-k and C-w delete to the start, the end, a word' '
	edit C-u "<C-l>:junk junk<C-u>save-display u<Enter>" u &&
	edit C-k "<C-l>:save-display k junk<Left><Left><Left><Left><Left><C-k><Enter>" k &&
	edit C-w "<C-l>:save-display w junk<C-w><Enter>" w
'
test_expect_success 'prompt Up, C-p, Down, C-n walk the history' '
	edit Up "$(printf "%s\n" ":save-display h1" "<C-l>:<Up><Backspace>2<Enter>")" "h1 h2" &&
	edit C-p "$(printf "%s\n" ":save-display h1" "<C-l>:<C-p><Backspace>2<Enter>")" "h1 h2" &&
	edit Down "$(printf "%s\n" ":save-display a1" ":save-display b1" \
		"<C-l>:<Up><Up><Down>x<Enter>")" "a1 b1 b1x" &&
	edit C-n "$(printf "%s\n" ":save-display a1" ":save-display b1" \
		"<C-l>:<C-p><C-p><C-n>x<Enter>")" "a1 b1 b1x" &&
	edit Down "$(printf "%s\n" ":save-display a1" \
		"<C-l>:save-display new<Up><Down><Enter>")" "a1 new"
'
test_expect_success 'prompt Enter runs; Esc, C-c and C-g cancel without quitting' '
	edit Enter "<C-l>:save-display run<Enter>" run &&
	edit Esc "<C-l>:save-display no<Esc>j:save-display yes<Enter>" yes &&
	edit C-c "<C-l>:save-display no<C-c>j:save-display yes<Enter>" yes &&
	edit C-g "<C-l>:save-display no<C-g>j:save-display yes<Enter>" yes
'
test_expect_success 'Tab in a prompt is a blank, not a pane switch' '
	edit Tab "<C-l>:save-display<Tab>tabbed<Enter>" tabbed
'

test_expect_success 'every prompt editing key was pressed above' '
	sed -n "/^Editing in the prompts/,\$p" usage |
		sed -E -n "s/^  ([^ ](.*[^ ])?)  +[^ ].*/\1/p" |
		sed "s/, /\n/g" | sort -u >edit-table &&
	test $(wc -l <edit-table) -gt 15 &&
	sort -u edits-tested >edits-pressed &&
	comm -23 edit-table edits-pressed >missing &&
	{ test ! -s missing || { echo "editing keys no test above presses:"; cat missing; exit 1; }; }
'

test_expect_success 'each prompt keeps its own history' '
	cat >keys <<-\EOT &&
	;select 1 as one<Enter>q
	/delete<Enter>
	:save-display first
	;<Up><Enter>
	:save-display sql
	q/<Up><Enter>
	:save-display search
	EOT
	screen ws.db 60 12 &&
	grep "^ sql: select 1 as one  1/1 " sql &&
	head -n 2 sql >actual &&
	printf "one\n1\n" >expect &&
	test_cmp expect actual &&
	tail -n 1 search >actual &&
	echo "pattern not found: delete" >expect &&
	test_cmp expect actual
'

# ---- the SQL prompt refuses writes ------------------------------------------

test_expect_success 'the SQL prompt refuses every kind of write, and the data stays' '
	for q in "delete from messages" "insert into messages(incident) values (1)" \
		"update messages set text = 1" "drop table messages" \
		"with d as (select 1) delete from messages" "pragma writable_schema = 1" \
		"attach database '\''x.db'\'' as x" "create table t(a)"; do
		printf "%s\n" ";$q<Enter>" ":save-display refused" >keys &&
		screen ws.db 100 10 &&
		tail -n 1 refused >actual &&
		echo "refused: the SQL interface is read-only (SELECT and WITH queries only)" >expect &&
		test_cmp expect actual || { echo "not refused: $q"; exit 1; }
	done &&
	test ! -e x.db &&
	alibi sql --db ws.db "SELECT count(*) FROM messages" >count &&
	grep -x 5 count &&
	printf "%s\n" ";select 1; delete from messages<Enter>" ":save-display two" >keys &&
	screen ws.db 100 10 &&
	grep -x "one SQL statement at a time, please" two &&
	alibi sql --db ws.db "SELECT count(*) FROM messages" >count &&
	grep -x 5 count
'

test_expect_success 'query results are shown escaped: control characters, invalid UTF-8' '
	printf "%s\n" ";select char(27) || '\''[2J'\'' as a, char(7) as b, cast(x'\''41ff42'\'' as text) as c, '\''漢字'\'' as d, '\''x'\'' as e<Enter>" \
		":save-display table" >keys &&
	screen ws.db 60 10 &&
	head -n 2 table >actual &&
	cat >expect <<-\EOT &&
	a      b   c    d     e
	^[[2J  ^G  A�B  漢字  x
	EOT
	test_cmp expect actual
'

# ---- search ---------------------------------------------------------------

test_expect_success 'search: smart case, bad patterns, empty repeats, in the DID pane' '
	cat >keys <<-\EOT &&
	<Enter>/DELETE<Enter>
	:save-display upper
	/Delete|Please<Enter>
	:save-display mixed
	/a(<Enter>
	:save-display bad
	g/delete<Enter>/<Enter>
	:save-display again
	<Tab>g/unlink<Enter>
	:save-display did
	EOT
	screen ws.db 80 14 &&
	tail -n 1 upper >actual &&
	echo "pattern not found below in SAID or DID" >expect &&
	test_cmp expect actual &&
	grep "^ mini  SAID 09:00:01 msg 2 " mixed &&
	tail -n 1 bad >actual &&
	echo "search: missing closing parenthesis at offset 2" >expect &&
	test_cmp expect actual &&
	grep "^ mini  SAID 09:00:02 msg 3 " again &&
	grep "^ mini  DID 09:00:02 op 4 " did
'

test_expect_success 'search works in the help, record and SQL views' '
	cat >keys <<-\EOT &&
	h/redraw<Enter>
	:save-display help
	q<Enter>r/maintain<Enter>
	:save-display record
	q;select seq, role from messages<Enter>/tool<Enter>
	:save-display sql
	EOT
	screen ws.db 80 14 &&
	grep "^ help: .*  [1-9][0-9]/" help &&
	grep "C-l .*redraw the screen" help &&
	grep "^ record: message 1  8/" record &&
	grep "^ sql: .*  4/5" sql
'

# ---- hostile text -----------------------------------------------------------

test_expect_success 'setup: a transcript and a log full of hostile text' '
	mkdir hostile &&
	long=$(printf "%02000d" 0 | tr 0 x) &&
	printf "[{\"role\": \"user\", \"content\": \"CJK 漢字テスト emoji 🙂👍 e\314\201 combining bad \377\376 end\", \"timestamp\": \"2026-03-02T10:00:00Z\"},
	 {\"role\": \"assistant\", \"content\": \"clear\\\\u001b[2J title\\\\u001b]0;pwned\\\\u0007 end\\\\n%s\", \"timestamp\": \"2026-03-02T10:00:01Z\"}]\n" \
		"$long" >hostile/transcript.json &&
	cat >hostile/actions.strace <<-\EOT &&
	4200 10:00:00.500000 unlinkat(AT_FDCWD, "/tmp/\33[2J\33]0;pwned\7x\377y", 0) = 0
	4200 10:00:00.600000 openat(AT_FDCWD, "/tmp/漢字\303\251", O_RDONLY) = 3
	EOT
	alibi import --db h.db hostile >/dev/null 2>&1 &&
	grep -c . hostile/transcript.json
'

test_expect_success 'hostile text is drawn escaped: ^[ for ESC, U+FFFD, columns aligned' '
	# (the e after the emoji below is e and U+0301, a combining accent)
	printf "%s\n" "<Enter>" ":save-display screen" >keys &&
	screen h.db 80 14 &&
	cat >expect <<-\EOT &&
	>SAID  transcript.json                 │ DID  actions.strace
	  10:00:00 user                        │  ? unattributed
	    CJK 漢字テスト emoji 🙂👍 é        │  10:00:00 ?unlink /tmp/^[[2J^[]0;pwned
	    combining bad �� end               │  10:00:00 ?open_read /tmp/漢字é (0 byte
	  10:00:01 assistant                   │
	    clear^[[2J title^[]0;pwned^G end   │
	    xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx│
	    xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx│
	    xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx│
	    xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx│
	    xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx│
	    xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx│
	 hostile  SAID 10:00:00 msg 1  H0 M0 L0             Tab pane  ] finding  h help

	EOT
	test_cmp expect screen &&
	head -n 12 screen | sed "s/│.*//" >left &&
	while IFS= read -r l; do printf "%s" "$l" | wc -L; done <left | sort -u >widths &&
	echo 39 >expect && test_cmp expect widths &&
	! grep "$(printf "\033")" screen &&
	! grep "$(printf "\007")" screen
'

test_expect_success 'the 2,000-character line is wrapped whole; the raw view escapes too' '
	printf "%s\n" "<Enter>G" ":save-display end" >keys &&
	screen h.db 80 14 &&
	sed -n 12p end >actual &&
	echo "    xxxxx                              │" >expect &&
	test_cmp expect actual &&
	printf "%s\n" "<Enter><Tab>r" ":save-display raw" >keys &&
	screen h.db 80 14 &&
	grep -x "path           /tmp/^\[\[2J^\[\]0;pwned^Gx�y" raw &&
	! grep "$(printf "\033")" raw &&
	! grep "$(printf "\033")" end
'

test_expect_success 'search matches in a text that holds invalid UTF-8' '
	printf "%s\n" "<Enter>G?emoji<Enter>" ":save-display found" >keys &&
	screen h.db 80 14 &&
	grep "^ hostile  SAID 10:00:00 msg 1 " found
'

# ---- every view at 40x12, resizing ----------------------------------------

test_expect_success 'every view fits a 40x12 terminal' '
	cat >keys <<-\EOT &&
	:save-display incidents
	<Enter>
	:save-display incident
	<Tab>
	:save-display incident-did
	qf
	:save-display findings
	<Enter>
	:save-display finding
	qq<Enter>r
	:save-display raw
	qh
	:save-display help
	q;select kind, severity from findings<Enter>
	:save-display sql
	EOT
	screen cov.db 40 12 &&
	for v in incidents incident incident-did findings finding raw help sql; do
		width_ok $v 40 12 || exit 1
	done &&
	grep "^ incidents  1/1 " incidents &&
	grep "^ SAID  (Tab: DID)  transcript.json" incident &&
	grep "^ DID  (Tab: SAID)  actions.strace" incident-did &&
	grep "^ findings of covert-rename  1/8" findings &&
	grep "^ finding 1 of 8: " finding &&
	grep "^ record: message 1 " raw &&
	grep "^ help: keys" help &&
	grep "^ sql: select kind" sql &&
	cat >expect <<-\EOT &&
	alibi: what the agent said, next to what
	it did
	Every binding below also works in
	scripts (--script FILE); see man alibi
	for the views, themes and files.

	Moving
	  j, Down, WheelDown
	    next line
	  k, Up, WheelUp
	EOT
	head -n 10 help >actual &&
	test_cmp expect actual
'

test_expect_success '40x10 is enough; 39x12 and 40x9 are too small' '
	printf "%s\n" ":save-display ok" >keys &&
	screen ws.db 40 10 &&
	grep "^ incidents  1/1" ok &&
	screen ws.db 39 12 && mv ok narrow &&
	head -n 1 narrow >actual &&
	echo "alibi needs a terminal of at least" >expect &&
	test_cmp expect actual &&
	screen ws.db 40 9 &&
	head -n 1 ok >actual &&
	echo "alibi needs a terminal of at least" >expect &&
	test_cmp expect actual
'

test_expect_success 'resizing redraws: two panes, one pane, two again, same line' '
	cat >keys <<-\EOT &&
	<Enter>jj
	:save-display wide
	<Resize 60x14>
	:save-display narrow
	<Resize 100x14>
	:save-display again
	EOT
	screen ws.db 100 14 &&
	head -n 1 wide >actual &&
	echo ">SAID  transcript.json                           │ DID  actions.strace" >expect &&
	test_cmp expect actual &&
	head -n 1 narrow >actual &&
	echo " SAID  (Tab: DID)  transcript.json" >expect &&
	test_cmp expect actual &&
	width_ok narrow 60 14 &&
	head -n 13 wide >expect && head -n 13 again >actual &&
	test_cmp expect actual &&
	grep "^ mini  SAID 09:00:01 msg 2 " narrow
'

test_expect_success 'resizing rewraps the help view' '
	printf "%s\n" "h" "<Resize 100x12>" ":save-display wide" "<Resize 40x12>" ":save-display narrow" >keys &&
	screen ws.db 60 12 &&
	grep "^  j, Down, WheelDown  *next line$" wide &&
	grep -x "    next line" narrow &&
	width_ok narrow 40 12
'

test_expect_success 'too small: keys wait, Q still quits; extreme sizes do not break' '
	cat >keys <<-\EOT &&
	<Enter><Resize 30x8>jjjj<Tab>
	<Resize 80x14>
	:save-display back
	<Resize 1x1>
	:save-display tiny
	<Resize 1000x1000>
	:save-display huge
	<Resize 80x14>
	:save-display again
	EOT
	screen ws.db 80 14 &&
	grep "^ mini  SAID 09:00:00 msg 1 " back &&
	test "$(wc -l <tiny)" = 1 &&
	width_ok huge 1000 1000 &&
	head -n 13 back >expect && head -n 13 again >actual &&
	test_cmp expect actual &&
	printf "%s\n" "<Resize 30x8>Q" ":save-display after" >keys &&
	screen ws.db 80 14 &&
	test ! -e after
'

# ---- themes -----------------------------------------------------------------

test_expect_success 'themes/ ships default, dark, light, high-contrast and mono' '
	for th in default dark light high-contrast mono; do
		test -f "$TOP/themes/$th.theme" || { echo "no themes/$th.theme"; exit 1; }
	done
'

test_expect_success 'T cycles through every theme; :theme NAME and :theme list' '
	cat >keys <<-\EOT &&
	T
	:save-display t1
	T
	:save-display t2
	T
	:save-display t3
	T
	:save-display t4
	T
	:save-display t5
	:theme light
	:save-display named
	:theme
	:save-display list
	:theme nosuch
	:save-display missing
	:theme
	:save-display kept
	EOT
	env -u NO_COLOR -u TERM COLUMNS=200 LINES=10 alibi --db ws.db --script keys </dev/null &&
	for f in t1 t2 t3 t4 t5 named list missing kept; do tail -n 1 $f; done >actual &&
	cat >expect <<-EOT &&
	theme dark
	theme high-contrast
	theme light
	theme mono
	theme default
	theme light
	themes: default dark high-contrast light* mono
	no theme '\''nosuch'\'' in $XDG_CONFIG_HOME/alibi/themes /usr/local/share/alibi/themes $TOP/themes
	themes: default dark high-contrast light* mono
	EOT
	test_cmp expect actual
'

test_expect_success '--theme picks the theme at start' '
	printf "%s\n" ":theme" ":save-display list" >keys &&
	env -u NO_COLOR -u TERM COLUMNS=120 LINES=10 alibi --db ws.db --theme high-contrast --script keys </dev/null &&
	tail -n 1 list >actual &&
	echo "themes: default dark high-contrast* light mono" >expect &&
	test_cmp expect actual
'

test_expect_success 'NO_COLOR: every theme falls back to mono; an empty NO_COLOR does not' '
	printf "%s\n" ":theme dark" ":save-display dark" ":theme" ":save-display list" >keys &&
	screen ws.db 120 10 &&
	tail -n 1 dark >actual &&
	echo "theme dark: no colours here (NO_COLOR or the terminal), so mono" >expect &&
	test_cmp expect actual &&
	tail -n 1 list >actual &&
	echo "themes: default dark high-contrast light mono*" >expect &&
	test_cmp expect actual &&
	printf "%s\n" ":theme" ":save-display list" >keys &&
	NO_COLOR=1 screen ws.db 120 10 --theme light &&
	tail -n 1 list >actual &&
	test_cmp expect actual &&
	printf "%s\n" "T" ":save-display t" >keys &&
	NO_COLOR= screen ws.db 120 10 &&
	tail -n 1 t >actual &&
	echo "theme dark" >expect &&
	test_cmp expect actual
'

test_expect_success 'bad theme lines: each reported with file:line and skipped' '
	mkdir -p "$XDG_CONFIG_HOME/alibi/themes" &&
	th=$XDG_CONFIG_HOME/alibi/themes/bad.theme &&
	cat >"$th" <<-\EOT &&
	# a comment, then a blank line

	color cursor white red
	color nowhere red blue
	color cursor purple red
	color cursor red blue sparkly
	color cursor
	EOT
	printf "%s\n" ":save-display start" ":theme dark" ":theme bad" ":save-display later" >keys &&
	env -u NO_COLOR -u TERM COLUMNS=150 LINES=10 alibi --db ws.db --theme bad --script keys 2>err </dev/null &&
	cat >expect <<-EOT &&
	alibi: $th:4: unknown area '\''nowhere'\''; line ignored
	alibi: $th:5: unknown colour '\''purple'\''; line ignored
	alibi: $th:6: unknown attribute '\''sparkly'\''; line ignored
	alibi: $th:7: expected: color AREA FG BG [ATTR...]; line ignored
	EOT
	head -n 4 err >actual &&
	test_cmp expect actual &&
	tail -n 1 start >actual &&
	echo "$th:4: unknown area '\''nowhere'\''; line ignored (and 3 more)" >expect &&
	test_cmp expect actual &&
	tail -n 1 later >actual &&
	test_cmp expect actual
'

# ---- alibi --help and the man page ----------------------------------------

test_expect_success 'alibi --help and man/alibi.1 list the same keys, in the same order' '
	alibi --help | sed -n "/^The console:/,\$p" |
		sed -E -n "s/^  ([^ ](.*[^ ])?)  +[^ ].*/\1/p" >help-keys &&
	awk "/^\\.S[HS] /{ on = (\$0 ~ /^\\.SS (Keys|Commands|Editing)/) } on" "$TOP/man/alibi.1" |
		sed -n "s/^\.B \"\(.*\)\"\$/\1/p" | sed "s/\\\\-/-/g" >man-keys &&
	test $(wc -l <help-keys) -gt 40 &&
	test_cmp help-keys man-keys &&
	printf "%s\n" "h" ":save-display help" >keys &&
	screen ws.db 100 120 &&
	sed -E -n "s/^  ([^ ](.*[^ ])?)  +[^ ].*/\1/p" help >view-keys &&
	test_cmp help-keys view-keys
'

# ---- in a real terminal -------------------------------------------------------

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

# wait_gone NAME PATTERN — waits (5 s at most) until PATTERN has gone.
wait_gone() {
	i=0
	while [ $i -lt 50 ]; do
		tm capture-pane -p -t "$1" >pane 2>/dev/null && ! grep -q -e "$2" pane && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "timed out waiting for '$2' to go; the pane shows:"
	cat pane
	return 1
}

test_expect_success TMUX 'a terminal title sequence would show in tmux (the probe works)' '
	run probe "printf \"\\033]0;pwned\\007\"; sleep 30" &&
	i=0 &&
	while [ $i -lt 50 ] && [ "$(tm display -p -t probe "#{pane_title}")" != pwned ]; do
		sleep 0.1; i=$((i + 1))
	done &&
	test "$(tm display -p -t probe "#{pane_title}")" = pwned &&
	tm kill-session -t probe
'

test_expect_success TMUX 'hostile text in a real terminal: title kept, screen not cleared, aligned' '
	run h1 "alibi --db h.db" &&
	wait_for h1 "^ incidents" &&
	before=$(tm display -p -t h1 "#{pane_title}") &&
	tm send-keys -t h1 Enter &&
	wait_for h1 "^ hostile  SAID" &&
	sleep 0.2 &&
	tm capture-pane -p -t h1 >pane &&
	test "$(tm display -p -t h1 "#{pane_title}")" = "$before" &&
	test "$before" != pwned &&
	head -n 6 pane >actual &&
	cat >expect <<-\EOT &&
	>SAID  transcript.json                           │ DID  actions.strace
	  10:00:00 user                                  │  ? unattributed
	    CJK 漢字テスト emoji 🙂👍 é combining bad �� │  10:00:00 ?unlink /tmp/^[[2J^[]0;pwned^Gx�y
	    end                                          │  10:00:00 ?open_read /tmp/漢字é (0 bytes)
	  10:00:01 assistant                             │
	    clear^[[2J title^[]0;pwned^G end             │
	EOT
	test_cmp expect actual &&
	grep "^ hostile  SAID 10:00:00 msg 1 " pane &&
	tm send-keys -t h1 Q
'

test_expect_success TMUX 'C-l repaints what something else scribbled on the terminal' '
	run r1 "alibi --db ws.db" &&
	wait_for r1 "^ incidents" &&
	printf "\033[5;1HSCRIBBLED-OVER" >"$(tm display -p -t r1 "#{pane_tty}")" &&
	wait_for r1 "SCRIBBLED-OVER" &&
	tm send-keys -t r1 C-l &&
	wait_gone r1 "SCRIBBLED-OVER" &&
	grep "^ incidents  1/1" pane &&
	tm send-keys -t r1 Q
'

test_expect_success TMUX 'the prompt shows the line being edited' '
	run p1 "alibi --db ws.db" &&
	wait_for p1 "^ incidents" &&
	tm send-keys -t p1 / d e l t e Left Left e &&
	wait_for p1 "^/delete *$" &&
	tm send-keys -t p1 Escape &&
	wait_for p1 "^ incidents" &&
	tm send-keys -t p1 Q
'

# sgr_colours FILE — FILE (capture-pane -e) sets a foreground or
# background colour somewhere.
sgr_colours() {
	grep -E -q "$(printf "\033")\[([0-9;]*;)?(3[0-7]|4[0-7]|38|48|9[0-7]|10[0-7])(;[0-9;]*)?m" "$1"
}

test_expect_success TMUX 'colours with a colour terminal; none with NO_COLOR or TERM=vt100' '
	run c1 "env -u NO_COLOR TERM=screen alibi --db ws.db" &&
	wait_for c1 "^ incidents" &&
	tm capture-pane -e -p -t c1 >colour &&
	sgr_colours colour &&
	tm send-keys -t c1 Q &&
	run c2 "NO_COLOR=1 TERM=screen alibi --db ws.db" &&
	wait_for c2 "^ incidents" &&
	tm capture-pane -e -p -t c2 >nocolour &&
	! sgr_colours nocolour &&
	grep -q "$(printf "\033")\[[0-9;]*7" nocolour &&
	tm send-keys -t c2 T &&
	wait_for c2 "the mono theme stays" &&
	tm send-keys -t c2 Q &&
	run c3 "env -u NO_COLOR TERM=vt100 alibi --db ws.db" &&
	wait_for c3 "^ incidents" &&
	tm capture-pane -e -p -t c3 >vt100 &&
	! sgr_colours vt100 &&
	tm send-keys -t c3 : t h e m e Space d a r k Enter &&
	wait_for c3 "so mono" &&
	tm send-keys -t c3 Q
'

test_expect_success TMUX 'search matches are highlighted' '
	run s1 "alibi --db ws.db" &&
	wait_for s1 "^ incidents" &&
	tm send-keys -t s1 Enter &&
	wait_for s1 "^>SAID" &&
	tm capture-pane -e -p -t s1 >before &&
	tm send-keys -t s1 / d e l e t e Enter &&
	wait_for s1 "msg 2 " &&
	tm capture-pane -e -p -t s1 >after &&
	grep "I will delete the archive" before | grep -v -q "m[dD]elete" &&
	grep "I will" after | grep -q "m[dD]elete" &&
	tm send-keys -t s1 Q
'

test_done
