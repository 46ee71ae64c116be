#!/bin/sh
# alibi case init|commit|status|log|list: a case repository that plain git
# can read.
. "$(dirname "$0")/../lib.sh"

git config --global user.name "Alice Example"
git config --global user.email alice@example.com
CASES=$XDG_DATA_HOME/alibi/cases
C=$CASES/cases/peer-preservation

first_finding() {
	alibi --db ws.db findings --json peer-preservation |
	sed -n 's/^ *{"id": "\([0-9a-f]*\)".*/\1/p' | head -n 1
}

test_expect_success 'set up: the sample incident, one finding confirmed' '
	alibi --db ws.db import "$SAMPLES/peer-preservation" >/dev/null &&
	first_finding >key &&
	alibi --db ws.db annotate "$(cat key)" -v confirmed -m "copied, then denied" -t exfil >/dev/null &&
	alibi --db ws.db annotate peer-preservation -v confirmed -m "the agent preserved its peer" >/dev/null
'

test_expect_success 'commit without a repository says how to make one' '
	test_expect_code 2 alibi --db ws.db case commit 2>err &&
	grep "alibi case init" err
'

test_expect_success 'case init creates the repository in the default place' '
	alibi case init >out &&
	echo "created case repository $CASES" >expect &&
	test_cmp expect out &&
	test "$(git -C "$CASES" symbolic-ref HEAD)" = refs/heads/main
'

test_expect_success 'case status lists what is not committed' '
	alibi --db ws.db case status >out &&
	grep -x "on branch main, no commits yet" out &&
	grep -x "  peer-preservation: 2 annotations" out &&
	grep "^    $(cut -c1-12 key)   confirmed  Alice Example <alice@example.com>  \"copied, then denied\"$" out &&
	grep "^    (incident)     confirmed  " out
'

test_expect_success 'case commit writes the layout and commits as the reviewer' '
	alibi --db ws.db case commit >out &&
	grep "^committed case peer-preservation ([0-9a-f]*): 1 confirmed, 0 dismissed, 0 unclear, [0-9]* open; 2 notes written, 2 evidence files copied$" out &&
	test -f "$C/case.json" && test -f "$C/README.md" &&
	test -f "$C/evidence/actions.strace" && test -f "$C/evidence/transcript.json" &&
	test "$(ls "$C/notes" | grep -c "^[0-9a-f-]*\.json$")" = 2 &&
	test "$(git -C "$CASES" log -1 --format="%an <%ae>")" = "Alice Example <alice@example.com>" &&
	git -C "$CASES" log -1 --format=%s | grep "^peer-preservation: 1 confirmed, 0 dismissed, 0 unclear, [0-9]* open$" &&
	test -z "$(git -C "$CASES" status --porcelain)"
'

test_expect_success 'the evidence is what was imported (sha256 in case.json)' '
	for f in actions.strace transcript.json; do
		sum=$(sha256sum "$C/evidence/$f" | cut -d" " -f1) &&
		grep "\"sha256\":	\"$sum\"" "$C/case.json" &&
		cmp "$C/evidence/$f" "$SAMPLES/peer-preservation/$f" || return 1
	done &&
	grep "\"key\":	\"$(cat key)\"" "$C/case.json" &&
	! grep "$SAMPLES" "$C/case.json"
'

test_expect_success 'each annotation knows its commit; status is clean' '
	head=$(git -C "$CASES" rev-parse HEAD) &&
	alibi --db ws.db annotate "$(cat key)" | grep "committed in $(echo $head | cut -c1-12)" &&
	alibi --db ws.db case status >out &&
	grep -x "every annotation is committed" out
'

test_expect_success 'nothing changed: nothing is committed, and alibi says so' '
	before=$(git -C "$CASES" rev-parse HEAD) &&
	alibi --db ws.db case commit >out &&
	echo "nothing to commit: case peer-preservation is up to date in $CASES" >expect &&
	test_cmp expect out &&
	test "$(git -C "$CASES" rev-parse HEAD)" = "$before"
'

test_expect_success 'plain git tells the story: git show of the README' '
	git -C "$CASES" show HEAD:cases/peer-preservation/README.md >readme &&
	grep "^Verdict on the incident: \*\*confirmed\*\*$" readme &&
	grep "^  > the agent preserved its peer  $" readme &&
	grep "^  > copied, then denied  $" readme &&
	grep "^What the agent said:$" readme &&
	grep "^What the logs show:$" readme &&
	grep "^- \*\*confirmed\*\* — Alice Example \\\\<alice@example.com\\\\>, .* — tags: exfil$" readme
'

test_expect_success 'a new verdict: one more commit, with a message that sums it up' '
	alibi --db ws.db annotate "$(cat key)" -v dismissed >/dev/null &&
	alibi --db ws.db case commit -m "Second look at the upload" >/dev/null &&
	git -C "$CASES" log -1 --format=%B >msg &&
	grep -x "Second look at the upload" msg &&
	grep "^Verdicts: 0 confirmed, 1 dismissed, 0 unclear, [0-9]* open.$" msg &&
	grep "^- dismissed on finding by Alice Example <alice@example.com> ($(cut -c1-12 key)): copied, then denied$" msg
'

test_expect_success 'case log and case list' '
	alibi case log peer-preservation >out &&
	test "$(grep -c "^[0-9a-f]\{12\} .*  Alice Example <alice@example.com>$" out)" = 2 &&
	grep -x "    Second look at the upload" out &&
	alibi case log --full -n 1 >out &&
	grep -x "    Verdicts: 0 confirmed, 1 dismissed, 0 unclear, [0-9]* open." out &&
	alibi case list >out &&
	grep "^peer-preservation  open  [0-9]* findings (0 confirmed, 1 dismissed, 0 unclear, [0-9]* open)  2 notes  " out
'

test_expect_success 'a source over the evidence cap is left out, with a clear message' '
	mkdir -p big && cp "$SAMPLES/peer-preservation/transcript.json" big/ &&
	cp "$SAMPLES/peer-preservation/actions.strace" big/actions.strace &&
	alibi --db ws.db import --incident big-one big/transcript.json big/actions.strace >/dev/null &&
	alibi --db ws.db case commit big-one --evidence-cap 100k >out 2>err &&
	grep "^alibi: warning: .*actions.strace: not copied into the case: [0-9.]* KiB is over the evidence size cap of 100 KiB; raise it with --evidence-cap SIZE" err &&
	grep "1 left out" out &&
	test ! -e "$CASES/cases/big-one/evidence/actions.strace" &&
	grep "\"omitted\":	\"[0-9.]* KiB is larger than the evidence cap (100 KiB)\"" "$CASES/cases/big-one/case.json"
'

test_expect_success 'case init adopts an existing git repository' '
	git init -q other &&
	alibi case init other >out &&
	grep "^adopted git repository other$" out
'

test_done
