#!/bin/sh
# Case repositories are untrusted input: names, paths and symbolic links
# from them never make alibi write (or read) outside the repository, text
# from teammates is shown terminal-safe, and bad repository states give
# clear errors.
. "$(dirname "$0")/../lib.sh"

git config --global user.name "Alice Example"
git config --global user.email alice@example.com
CASES=$XDG_DATA_HOME/alibi/cases
ESC=$(printf '\033')

# Commits in the case repository as a teammate using plain git would.
git_as_mallory() {
	git -C "$CASES" -c user.name=Mallory -c user.email=m@example.com "$@"
}

test_expect_success 'set up: a workspace and a case repository' '
	alibi --db ws.db import "$SAMPLES/peer-preservation" >/dev/null &&
	alibi case init >/dev/null &&
	mkdir outside
'

test_expect_success 'case open refuses names that are paths' '
	for name in ../../x /tmp/x ../peer-preservation .hidden "a/b"; do
		test_expect_code 2 alibi --db ws.db case open "$name" 2>err &&
		grep "is not a valid case name" err || return 1
	done &&
	test_expect_code 2 alibi case log ../../x 2>err &&
	grep "is not a valid case name" err
'

test_expect_success 'an incident named ../../x is committed inside the repository' '
	cp "$SAMPLES/peer-preservation/transcript.json" t.json &&
	alibi --db ws.db import --incident "../../x" t.json >/dev/null &&
	alibi --db ws.db annotate x -m "odd name" >/dev/null &&
	alibi --db ws.db case commit x >out &&
	grep "^committed case x " out &&
	test -f "$CASES/cases/x/case.json" &&
	test ! -e "$CASES/../x" && test ! -e "$CASES/../../x" && test ! -e x
'

test_expect_success 'a symlink planted where notes go is never written through' '
	mkdir -p "$CASES/cases/planted" &&
	ln -s "$TRASH/outside" "$CASES/cases/planted/notes" &&
	git_as_mallory add -A && git_as_mallory commit -qm "plant a link" &&
	alibi --db ws.db import --incident planted t.json >/dev/null &&
	alibi --db ws.db annotate planted -m "where does this go?" >/dev/null &&
	test_expect_code 2 alibi --db ws.db case commit planted 2>err &&
	grep "cases/planted/notes is a symbolic link in the case repository; refusing to follow it" err &&
	test -z "$(ls -A outside)" &&
	test -z "$(git -C "$CASES" status --porcelain --untracked-files=no)"
'

test_expect_success 'evidence that is a symlink or an absolute path is not imported' '
	echo "secret" >outside/secret &&
	sum=$(sha256sum outside/secret | cut -d" " -f1) &&
	mkdir -p "$CASES/cases/evil/evidence" &&
	ln -s "$TRASH/outside/secret" "$CASES/cases/evil/evidence/trace.log" &&
	cat >"$CASES/cases/evil/case.json" <<-EOF &&
	{"format": "alibi-case", "version": 1, "slug": "evil", "title": "evil",
	 "sources": [
	  {"name": "trace.log", "evidence": "evidence/trace.log", "format": "strace", "sha256": "$sum", "bytes": 7},
	  {"name": "passwd", "evidence": "/etc/passwd", "format": "strace", "sha256": "$sum", "bytes": 7},
	  {"name": "up", "evidence": "evidence/../../../outside/secret", "format": "strace", "sha256": "$sum", "bytes": 7}
	 ],
	 "findings": []}
	EOF
	git_as_mallory add -A && git_as_mallory commit -qm "evil case" &&
	test_expect_code 3 alibi --db ws2.db case open evil >out 2>err &&
	grep "evidence evidence/trace.log not imported: cases/evil/evidence/trace.log is a symbolic link in the case repository; refusing to follow it" err &&
	grep "evidence /etc/passwd not imported: its path is not a file under evidence/" err &&
	grep "evidence evidence/../../../outside/secret not imported" err &&
	grep "0 sources imported (3 missing)" out &&
	alibi --db ws2.db sql "SELECT count(*) FROM sources" | sed -n 2p >n &&
	echo 0 >expect && test_cmp expect n
'

test_expect_success 'notes and names from others are shown terminal-safe' '
	key=$(alibi --db ws.db findings --json peer-preservation | sed -n "s/^ *{\"id\": \"\([0-9a-f]*\)\".*/\1/p" | head -n 1) &&
	alibi --db ws.db annotate "$key" -v confirmed >/dev/null &&
	alibi --db ws.db case commit peer-preservation >/dev/null &&
	cat >"$CASES/cases/peer-preservation/notes/0b7c5a3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d.json" <<-EOF &&
	{"format": "alibi-note", "version": 1, "id": "0b7c5a3e-1d2f-4a6b-9c8d-7e6f5a4b3c2d",
	 "case": "peer-preservation", "finding": "$key", "author": "Mallory <m@example.com>",
	 "verdict": "dismissed", "tags": [], "note": "all fine ${ESC}[31mreally${ESC}[0m ${ESC}]0;owned${ESC}\\\\",
	 "created": "2026-01-01T00:00:00.000000Z", "updated": "2026-01-01T00:00:00.000000Z"}
	EOF
	git_as_mallory add -A && git_as_mallory commit -qm "a note ${ESC}[1mbold${ESC}[0m" &&
	alibi --db ws.db case open peer-preservation >/dev/null &&
	alibi --db ws.db annotate "$key" >out &&
	grep "^  Mallory <m@example.com>  dismissed" out &&
	grep "all fine ^\[\[31mreally^\[\[0m ^\[\]0;owned^\[" out &&
	! grep "$ESC" out &&
	alibi case log >out &&
	grep "a note ^\[\[1mbold^\[\[0m" out &&
	! grep "$ESC" out
'

test_expect_success 'a note file that is not what it says is skipped with a warning' '
	echo "{not json" >"$CASES/cases/peer-preservation/notes/11111111-2222-4333-8444-555555555555.json" &&
	git_as_mallory add -A && git_as_mallory commit -qm "broken note" &&
	alibi --db ws.db case open peer-preservation >out 2>err &&
	grep "notes/11111111-2222-4333-8444-555555555555.json: skipped: invalid JSON" err
'

test_expect_success 'uncommitted changes made with plain git: a clear error' '
	echo "edited" >>"$CASES/cases/peer-preservation/README.md" &&
	alibi --db ws.db annotate peer-preservation -v unclear >/dev/null &&
	test_expect_code 2 alibi --db ws.db case commit peer-preservation 2>err &&
	grep "has 1 uncommitted change made outside alibi:" err &&
	grep "cases/peer-preservation/README.md" err &&
	test_expect_code 2 alibi --db ws.db case pull 2>err &&
	grep "uncommitted change" err &&
	git -C "$CASES" checkout -q -- .
'

test_expect_success 'a detached HEAD: a clear error' '
	git -C "$CASES" checkout -q --detach &&
	test_expect_code 2 alibi --db ws.db case commit peer-preservation 2>err &&
	grep "has a detached HEAD" err &&
	alibi --db ws.db case status >out &&
	grep "^HEAD detached at " out &&
	git -C "$CASES" checkout -q main
'

test_expect_success 'a missing remote: a clear error' '
	test_expect_code 2 alibi case push 2>err &&
	grep "has no remote '"'"'origin'"'"'; add one with" err &&
	test_expect_code 2 alibi case pull nowhere 2>err &&
	grep "has no remote '"'"'nowhere'"'"'" err
'

test_expect_success 'a remote that does not answer: a clear error, not a crash' '
	git -C "$CASES" remote add gone "$TRASH/no-such-repo.git" &&
	test_expect_code 4 alibi case pull gone 2>err &&
	grep "^alibi: gone (.*no-such-repo.git): fetching: " err
'

test_done
