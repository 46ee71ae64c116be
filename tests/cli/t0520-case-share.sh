#!/bin/sh
# alibi case pull|push|open: two reviewers share one bare repository,
# annotate the same finding at the same time, and lose nothing.
. "$(dirname "$0")/../lib.sh"

git init -q --bare shared.git
for who in alice bob carol; do
	mkdir -p "$who"
done
git config -f alice/.gitconfig user.name "Alice Example"
git config -f alice/.gitconfig user.email alice@example.com
git config -f bob/.gitconfig user.name "Bob Other"
git config -f bob/.gitconfig user.email bob@example.com
git config -f carol/.gitconfig user.name "Carol Third"
git config -f carol/.gitconfig user.email carol@example.com

# Each reviewer has a home, a workspace and a case repository of their own.
as() {
	who=$1; shift
	HOME=$TRASH/$who XDG_DATA_HOME=$TRASH/$who/data alibi --db "$TRASH/$who/ws.db" "$@"
}
repo() {
	echo "$TRASH/$1/data/alibi/cases"
}
notes_in() {
	ls "$(repo "$1")/cases/peer-preservation/notes" | grep -c '^[0-9a-f-]*\.json$'
}

test_expect_success 'set up: both import the incident and join the shared repository' '
	as alice import "$SAMPLES/peer-preservation" >/dev/null &&
	as bob import "$SAMPLES/peer-preservation" >/dev/null &&
	as alice findings --json | sed -n "s/^ *{\"id\": \"\([0-9a-f]*\)\".*/\1/p" | head -n 1 >key &&
	test -s key &&
	as alice case init --remote "file://$TRASH/shared.git" >/dev/null &&
	as bob case init --remote "$TRASH/shared.git" >/dev/null
'

test_expect_success 'pulling from an empty remote says there is nothing yet' '
	as bob case pull >out &&
	grep -x "nothing to pull: origin has no branch main yet" out
'

test_expect_success 'Alice commits and pushes; Bob pulls her note' '
	as alice annotate "$(cat key)" -v confirmed -m "Alice: uploaded, then denied" >/dev/null &&
	as alice case commit >/dev/null &&
	as alice case push >out &&
	grep -x "pushed main to origin (file://$TRASH/shared.git)" out &&
	as bob case pull >out &&
	grep -x "fast-forwarded to origin/main: 1 new or changed note, 0 conflicts kept side by side" out &&
	grep -x "1 note loaded into the workspace" out &&
	as bob annotate "$(cat key)" | grep -x "      Alice: uploaded, then denied"
'

test_expect_success 'round 1: both annotate the same finding; Alice pushes first' '
	as alice annotate "$(cat key)" -m "Alice: round one" >/dev/null &&
	as bob annotate "$(cat key)" -v confirmed -m "Bob: round one" >/dev/null &&
	as alice case commit >/dev/null &&
	as bob case commit >/dev/null &&
	as alice case push >/dev/null &&
	test_expect_code 2 as bob case push 2>err &&
	grep "run '"'"'alibi case pull'"'"', then push again" err &&
	as bob case pull >out 2>err &&
	grep -x "merged origin/main: 1 new or changed note, 0 conflicts kept side by side" out &&
	test ! -s err &&
	as bob case push >/dev/null &&
	as alice case pull >out &&
	grep "^fast-forwarded to origin/main" out
'

test_expect_success 'round 2, the other order: Bob pushes first' '
	as alice annotate "$(cat key)" -m "Alice: round two" >/dev/null &&
	as bob annotate "$(cat key)" -m "Bob: round two" >/dev/null &&
	as alice case commit >/dev/null &&
	as bob case commit >/dev/null &&
	as bob case push >/dev/null &&
	test_expect_code 2 as alice case push 2>/dev/null &&
	as alice case pull >out &&
	grep "^merged origin/main: 1 new or changed note, 0 conflicts" out &&
	as alice case push >/dev/null &&
	as bob case pull >/dev/null
'

test_expect_success 'both notes are on both sides: files, workspace, README, history' '
	test "$(notes_in alice)" = 2 && test "$(notes_in bob)" = 2 &&
	for who in alice bob; do
		as $who annotate "$(cat key)" >out &&
		grep -x "      Alice: round two" out &&
		grep -x "      Bob: round two" out &&
		grep "^  Alice Example <alice@example.com>  confirmed  .*  committed in " out &&
		grep "^  Bob Other <bob@example.com>  confirmed  .*  committed in " out &&
		grep -x "  > Bob: round two  " "$(repo $who)/cases/peer-preservation/README.md" &&
		grep -x "  > Alice: round two  " "$(repo $who)/cases/peer-preservation/README.md" &&
		test -z "$(git -C "$(repo $who)" status --porcelain)" || return 1
	done &&
	test "$(git -C "$(repo alice)" rev-parse HEAD)" = "$(git -C "$(repo bob)" rev-parse HEAD)" &&
	git -C "$(repo bob)" log --format="%an: %s" >log &&
	grep -c "^Bob Other: Merge origin/main into main$" log &&
	grep -c "^Alice Example: Merge origin/main into main$" log
'

test_expect_success 'a teammate opens the case: evidence, findings and notes' '
	as carol case init --remote "$TRASH/shared.git" >/dev/null &&
	as carol case pull >/dev/null &&
	as carol case list >out &&
	grep "^peer-preservation  open  " out &&
	as carol case open peer-preservation >out &&
	grep "^opened case peer-preservation as incident 1: 2 sources imported, \([0-9]*\) of \1 findings found again, 2 notes (2 new)$" out &&
	as carol findings peer-preservation | grep "$(cut -c1-12 key).*\[confirmed\]" &&
	as carol annotate "$(cat key)" >out &&
	grep -x "      Alice: round two" out &&
	grep -x "      Bob: round two" out
'

test_expect_success 'opening again adds nothing twice' '
	as carol case open peer-preservation >out &&
	grep "2 sources imported, .* 2 notes (0 new)$" out &&
	as carol sql "SELECT count(*) FROM sources" | sed -n 2p >n &&
	echo 2 >expect && test_cmp expect n &&
	as carol sql "SELECT count(*) FROM annotations" | sed -n 2p >n &&
	test_cmp expect n
'

test_expect_success 'a real conflict: both change case.json; both versions are kept' '
	r=$(repo bob) &&
	# Bob retitles the case and re-indents the file by hand; Alice adds a
	# source, which changes case.json on her side.
	sed -e "s/\"title\":	\"/\"title\":	\"Edited by hand: /" -e "s/^	/  /" \
		"$r/cases/peer-preservation/case.json" >t &&
	mv t "$r/cases/peer-preservation/case.json" &&
	HOME=$TRASH/bob git -C "$r" commit -qam "Retitle the case by hand" &&
	as bob case push >/dev/null &&
	as alice import --incident peer-preservation "$DATA/strace/net.trace" >/dev/null &&
	as alice case commit >/dev/null &&
	as alice case pull >out 2>err &&
	grep "^alibi: warning: conflict in cases/peer-preservation/case.json: both sides changed it; yours is kept in place, theirs as cases/peer-preservation/case.json.theirs-[0-9a-f]\{7\}$" err &&
	grep ", 1 conflict kept side by side$" out &&
	a=$(repo alice)/cases/peer-preservation &&
	grep "net.trace" "$a/case.json" &&
	grep "Edited by hand" "$a"/case.json.theirs-* &&
	test -z "$(git -C "$(repo alice)" status --porcelain)" &&
	git -C "$(repo alice)" log -1 --format=%B | grep "^- cases/peer-preservation/case.json (theirs kept as " &&
	test "$(notes_in alice)" = 2 &&
	as alice case push >/dev/null
'

test_done
