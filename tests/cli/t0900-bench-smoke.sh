#!/bin/sh
# The benchmark still works: the generator builds and its log and
# transcript import whole, with the tool calls attributed.  No timings.
. "$(dirname "$0")/../lib.sh"

CC=${CC:-cc}

test_expect_success 'the generator builds and is deterministic' '
	$CC -std=c11 -O2 -o gen-strace "$TOP/bench/gen-strace.c" &&
	./gen-strace 2000 run.json >run.strace &&
	./gen-strace 2000 again.json >again.strace &&
	cmp run.strace again.strace &&
	cmp run.json again.json &&
	echo 2000 >expect &&
	wc -l <run.strace | tr -d " " >actual &&
	test_cmp expect actual
'

test_expect_success 'a different seed gives a different log' '
	./gen-strace 2000 other.json 7 >other.strace &&
	! cmp -s run.strace other.strace
'

test_expect_success 'the log has unfinished/resumed pairs across pids' '
	grep -q "<unfinished ...>$" run.strace &&
	grep -q "<\.\.\. [a-z0-9_]* resumed>" run.strace &&
	awk "{ print \$1 }" run.strace | sort -u | wc -l >pids &&
	test "$(cat pids)" -ge 5
'

test_expect_success 'alibi imports the generated run with nothing skipped' '
	alibi import --db ws.db run.json run.strace >out 2>err &&
	test ! -s err &&
	grep "^run: run.strace (strace): [0-9]* records" out &&
	grep "^run: run.json (openai): [0-9]* records" out
'

test_expect_success 'the tool calls of the transcript are attributed' '
	alibi sql --db ws.db "SELECT count(*) FROM tool_calls" >calls &&
	test "$(sed -n 2p calls)" -ge 2 &&
	alibi sql --db ws.db "SELECT count(*) FROM ops WHERE tool_call IS NOT NULL" >attributed &&
	test "$(sed -n 2p attributed)" -gt 0 &&
	alibi sql --db ws.db "SELECT count(DISTINCT tool_call) FROM ops" >distinct &&
	sed -n 2p calls >expect &&
	sed -n 2p distinct >actual &&
	test_cmp expect actual
'

test_expect_success 'the SQLite ceiling program builds and inserts every line' '
	$CC -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -o sqlite-ceiling \
		"$TOP/bench/sqlite-ceiling.c" $(pkg-config --cflags --libs sqlite3) &&
	./sqlite-ceiling run.strace ceiling.db >out &&
	grep "^2000 rows " out
'
test_done
