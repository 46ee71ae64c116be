#!/bin/sh
# alibi annotate: verdicts, notes and tags, saved at once, signed with the
# reviewer's git identity, kept across re-analysis.
. "$(dirname "$0")/../lib.sh"

git config --global user.name "Alice Example"
git config --global user.email alice@example.com

# The id of the incident's first finding, as `alibi findings --json` prints it.
first_finding() {
	alibi --db ws.db findings --json peer-preservation |
	sed -n 's/^ *{"id": "\([0-9a-f]*\)".*/\1/p' | head -n 1
}

test_expect_success 'set up: the sample incident, analysed' '
	alibi --db ws.db import "$SAMPLES/peer-preservation" >/dev/null &&
	first_finding >key &&
	test "$(wc -c <key)" -gt 7
'

test_expect_success 'a verdict, a note and tags on a finding, by a 8-digit prefix' '
	key=$(cat key) && short=$(cut -c1-8 key) &&
	alibi --db ws.db annotate "$short" --verdict confirmed \
		--note "the weights went to the backup host" --tag exfil --tag weights,urgent >out &&
	grep -x "verdict: confirmed" out &&
	grep -x "note saved" out &&
	grep -x "finding $key in incident peer-preservation" out &&
	grep "^  Alice Example <alice@example.com>  confirmed  .*  tags: exfil,urgent,weights  not committed$" out &&
	grep -x "      the weights went to the backup host" out
'

test_expect_success 'the verdict shows in the findings list' '
	alibi --db ws.db findings peer-preservation | grep "$(cut -c1-12 key).*\[confirmed\]"
'

test_expect_success 'tags can be removed and replaced' '
	alibi --db ws.db annotate "$(cat key)" --untag urgent >out &&
	grep "tags: exfil,weights " out &&
	alibi --db ws.db annotate "$(cat key)" --tags "" >out &&
	! grep "tags:" out
'

test_expect_success 'a note from standard input; an incident-level verdict' '
	printf "line one\nline two\n" | alibi --db ws.db annotate peer-preservation -m - -v unclear >out &&
	grep -x "incident peer-preservation" out &&
	grep "^  Alice Example <alice@example.com>  unclear  " out &&
	grep -x "      line two" out
'

test_expect_success 'without options, annotate shows every reviewer' '
	alibi --db ws.db annotate "$(cat key)" --author "Bob Other <bob@example.com>" -v dismissed >/dev/null &&
	alibi --db ws.db annotate "$(cat key)" >out &&
	grep -c "not committed" out >count &&
	echo 2 >expect && test_cmp expect count &&
	grep "^  Bob Other <bob@example.com>  dismissed" out
'

test_expect_success 'ALIBI_AUTHOR names the reviewer too' '
	ALIBI_AUTHOR="Carol C <carol@example.com>" alibi --db ws.db annotate "$(cat key)" -v unclear >out &&
	grep "^  Carol C <carol@example.com>  unclear" out
'

test_expect_success 'no identity: a clear error that says how to set one' '
	mkdir -p nohome &&
	HOME=$PWD/nohome test_expect_code 2 alibi --db ws.db annotate "$(cat key)" -v confirmed 2>err &&
	grep "git config --global user.name" err
'

test_expect_success 'bad input is refused with exit status 2' '
	test_expect_code 2 alibi --db ws.db annotate "$(cat key)" -v maybe 2>err &&
	grep "confirmed, dismissed, unclear or none" err &&
	test_expect_code 2 alibi --db ws.db annotate ffffffff -v confirmed 2>err &&
	grep "no finding or incident named" err &&
	test_expect_code 2 alibi --db ws.db annotate "$(cat key)" --author "nobody" -v confirmed 2>err &&
	grep "Name <email>" err
'

test_expect_success 'the note editor: template shows the finding; the note is saved' '
	cat >editor.sh <<-\EOF &&
	#!/bin/sh
	cp "$1" template.txt
	{ echo "Written in the editor."; echo "# a comment line"; cat "$1"; } >"$1.new"
	mv "$1.new" "$1"
	EOF
	chmod +x editor.sh &&
	EDITOR=./editor.sh alibi --db ws.db annotate "$(cat key)" --edit >out &&
	grep -x "note saved" out &&
	grep "^# Finding $(cut -c1-12 key): " template.txt &&
	grep "^# Your verdict: confirmed" template.txt &&
	grep "^the weights went to the backup host$" template.txt &&
	alibi --db ws.db annotate "$(cat key)" >out &&
	grep -x "      Written in the editor." out &&
	grep -x "      the weights went to the backup host" out &&
	! grep "a comment line" out
'

test_expect_success 'an empty note cancels, as in git commit' '
	cat >empty.sh <<-\EOF &&
	#!/bin/sh
	grep "^#" "$1" >"$1.new"; mv "$1.new" "$1"
	EOF
	chmod +x empty.sh &&
	EDITOR=./empty.sh alibi --db ws.db annotate "$(cat key)" --edit >out &&
	grep -x "empty note: nothing changed" out &&
	alibi --db ws.db annotate "$(cat key)" | grep -x "      Written in the editor."
'

test_expect_success 'a failing editor changes nothing' '
	EDITOR=false test_expect_code 2 alibi --db ws.db annotate "$(cat key)" --edit 2>err &&
	grep "the note is unchanged" err &&
	alibi --db ws.db annotate "$(cat key)" | grep -x "      Written in the editor."
'

test_expect_success 'kill -9 right after a note is saved loses nothing' '
	# The "editor" kills alibi (its ancestor) outright: the verdict and
	# the note given on the command line were saved before it ran.
	cat >killer.sh <<-\EOF &&
	#!/bin/sh
	p=$PPID
	while [ "$p" -gt 1 ]; do
		if [ "$(cat /proc/$p/comm)" = alibi ]; then kill -9 "$p"; sleep 5; exit 0; fi
		p=$(sed "s/.*) //" /proc/$p/stat | cut -d" " -f2)
	done
	exit 1
	EOF
	chmod +x killer.sh &&
	# (TMPDIR keeps the killed run'"'"'s note file in the trash directory.)
	EDITOR=$PWD/killer.sh && TMPDIR=$TRASH && export EDITOR TMPDIR &&
	test_expect_code 137 alibi --db ws.db annotate peer-preservation -v dismissed \
		-m "saved before the kill" --edit >out 2>&1 &&
	grep -x "note saved" out &&
	alibi --db ws.db annotate peer-preservation >out &&
	grep "^  Alice Example <alice@example.com>  dismissed  " out &&
	grep -x "      saved before the kill" out &&
	alibi --db ws.db sql "SELECT verdict FROM annotations WHERE note = '"'"'saved before the kill'"'"'" >out &&
	grep dismissed out
'

test_expect_success 'annotations stay with their findings when analysis runs again' '
	alibi --db ws.db analyze peer-preservation >/dev/null &&
	alibi --db ws.db annotate "$(cat key)" >out &&
	grep "Alice Example <alice@example.com>  confirmed" out &&
	alibi --db ws.db findings peer-preservation | grep "$(cut -c1-12 key)"
'

test_done
