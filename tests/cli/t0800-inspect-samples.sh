#!/bin/sh
# Inspect eval logs with several samples: each sample is an incident of its
# own, named TASK/sample-ID/epoch-N (--incident NAME replaces the task),
# from the JSON log and from the zipped .eval log alike.  The .eval
# archives are built here from JSON logs by tests/data/inspect/make-eval.py,
# laid out as Inspect writes them; damaged ones lose only what is damaged.
. "$(dirname "$0")/../lib.sh"

MAKE_EVAL=$DATA/inspect/make-eval.py

# Tests that build an archive need python3; without it they are skipped.
eval_test() {
	if test_have_prereq python3; then
		test_expect_success "$@"
	else
		[ "$#" = 3 ] && shift
		echo "ok - $1 # SKIP missing python3"
	fi
}

# The import's report without the findings of analysis.
imported() { grep -v ": [0-9]* findings (" "$1"; }

# Each incident: slug, sources, messages, title.
listing() { alibi incidents --db "$1" | awk 'NR > 1 { print $2, $3, $4, $NF }'; }

# four_samples_of LOG — what the import of LOG, multi.json or an archive
# of it, reports: an incident for each of its two samples in each epoch.
four_samples_of() {
	cat <<-EOT
	ops-cleanup-sample-7-epoch-1: $1 (inspect): 6 records
	ops-cleanup-sample-cfg-epoch-1: $1 (inspect): 6 records
	ops-cleanup-sample-7-epoch-2: $1 (inspect): 5 records
	ops-cleanup-sample-cfg-epoch-2: $1 (inspect): 5 records
	EOT
}

test_expect_success 'a JSON log of two samples over two epochs makes four incidents' '
	cp "$DATA/inspect/multi.json" multi.json &&
	alibi import --db ws.db multi.json >out 2>err &&
	test ! -s err &&
	imported out >actual &&
	four_samples_of multi.json >expect &&
	test_cmp expect actual &&
	grep -c ": [0-9]* findings (" out >analysed &&
	echo 4 >four && test_cmp four analysed
'

test_expect_success 'alibi incidents lists one incident per sample, titled TASK/SAMPLE/EPOCH' '
	listing ws.db >actual &&
	cat >expect <<-\EOT &&
	ops-cleanup-sample-7-epoch-1 1 5 ops_cleanup/sample-7/epoch-1
	ops-cleanup-sample-cfg-epoch-1 1 4 ops_cleanup/sample-cfg/epoch-1
	ops-cleanup-sample-7-epoch-2 1 4 ops_cleanup/sample-7/epoch-2
	ops-cleanup-sample-cfg-epoch-2 1 4 ops_cleanup/sample-cfg/epoch-2
	EOT
	test_cmp expect actual
'

test_expect_success 'each sample keeps its chain: tool call, sandbox exec, derived ops' '
	alibi sql --db ws.db "SELECT i.slug, t.call_id, o.op, o.ok FROM ops o
		JOIN tool_calls t ON t.id = o.tool_call JOIN incidents i ON i.id = o.incident
		WHERE o.op = '\''exec'\'' ORDER BY i.id" >actual &&
	cat >expect <<-\EOT &&
	slug                            call_id  op    ok
	ops-cleanup-sample-7-epoch-1    tc_a     exec  1
	ops-cleanup-sample-7-epoch-2    tc_c     exec  1
	ops-cleanup-sample-cfg-epoch-2  tc_d     exec  0
	(3 rows)
	EOT
	test_cmp expect actual &&
	alibi sql --db ws.db "SELECT count(*) FROM tool_calls t JOIN incidents i ON i.id = t.incident
		WHERE i.slug = '\''ops-cleanup-sample-cfg-epoch-1'\'' AND t.args_json LIKE '\''{\"command\":\"view\",%'\''" |
		sed -n 2p >actual &&
	echo 1 >expect && test_cmp expect actual
'

test_expect_success 'importing the log again changes nothing' '
	alibi import --db ws.db multi.json >out 2>err &&
	imported out >actual &&
	cat >expect <<-\EOT &&
	ops-cleanup-sample-7-epoch-1: multi.json: already imported, skipped
	ops-cleanup-sample-cfg-epoch-1: multi.json: already imported, skipped
	ops-cleanup-sample-7-epoch-2: multi.json: already imported, skipped
	ops-cleanup-sample-cfg-epoch-2: multi.json: already imported, skipped
	EOT
	test_cmp expect actual &&
	listing ws.db | cut -d" " -f1-3 >actual &&
	printf "%s 1 %s\n" ops-cleanup-sample-7-epoch-1 5 ops-cleanup-sample-cfg-epoch-1 4 \
		ops-cleanup-sample-7-epoch-2 4 ops-cleanup-sample-cfg-epoch-2 4 >expect &&
	test_cmp expect actual
'

test_expect_success '--incident NAME names the samples NAME/sample-ID/epoch-N' '
	alibi import --db named.db --incident "Night run" multi.json >out &&
	listing named.db | sed "s/ [0-9]* [0-9]* / /" >actual &&
	cat >expect <<-\EOT &&
	night-run-sample-7-epoch-1 run/sample-7/epoch-1
	night-run-sample-cfg-epoch-1 run/sample-cfg/epoch-1
	night-run-sample-7-epoch-2 run/sample-7/epoch-2
	night-run-sample-cfg-epoch-2 run/sample-cfg/epoch-2
	EOT
	test_cmp expect actual &&
	alibi sql --db named.db "SELECT title FROM incidents WHERE id = 1" | sed -n 2p >title &&
	echo "Night run/sample-7/epoch-1" >expect && test_cmp expect title
'

test_expect_success git 'a case of one sample opens as that sample, not as the whole log' '
	git config --global user.name "Rae Example" &&
	git config --global user.email rae@example.com &&
	alibi --cases cases case init >/dev/null &&
	alibi --db ws.db --cases cases case commit ops-cleanup-sample-7-epoch-2 -m "kept a copy" >/dev/null &&
	alibi --db opened.db --cases cases case open ops-cleanup-sample-7-epoch-2 >out &&
	listing opened.db >actual &&
	echo "ops-cleanup-sample-7-epoch-2 1 4 ops_cleanup/sample-7/epoch-2" >expect &&
	test_cmp expect actual &&
	alibi sql --db opened.db "SELECT text FROM messages WHERE role = '\''assistant'\'' ORDER BY id DESC LIMIT 1" |
		sed -n 2p >said &&
	echo "Every stale archive has been deleted." >expect && test_cmp expect said
'

test_expect_success 'a log of one sample stays one incident with the files given with it' '
	cp "$DATA/inspect/tools.json" agent.json &&
	cp "$DATA/strace/cleanup.trace" agent.trace &&
	test_expect_code 3 alibi import --db one.db agent.json agent.trace >out 2>err &&
	grep "^agent: agent.json (inspect): 11 records, 1 skipped$" out &&
	grep "^agent: agent.trace (strace): " out &&
	listing one.db | cut -d" " -f1,2 >actual &&
	echo "agent 2" >expect && test_cmp expect actual
'

eval_test 'the same log zipped as .eval makes the same incidents' '
	python3 "$MAKE_EVAL" multi.eval multi.json &&
	alibi import --db eval.db multi.eval >out 2>err &&
	test ! -s err &&
	imported out >actual &&
	four_samples_of multi.eval >expect &&
	test_cmp expect actual &&
	listing eval.db >actual &&
	listing ws.db >expect &&
	test_cmp expect actual &&
	alibi sql --db eval.db "SELECT role, text FROM messages ORDER BY id" >eval.said &&
	alibi sql --db ws.db "SELECT role, text FROM messages ORDER BY id" >json.said &&
	test_cmp json.said eval.said
'

eval_test 'detection reads content: an .eval archive under any name' '
	cp multi.eval archive.bin &&
	alibi import --db anyname.db archive.bin >out &&
	grep -c "archive.bin (inspect)" out >n &&
	echo 4 >four && test_cmp four n
'

# The second log elides its tool calls ("..."), so its eleven tool results
# answer calls it does not hold: they are reported, as from its JSON.
eval_test FIXTURES 'the public logs samples zipped together: one incident each' '
	python3 "$MAKE_EVAL" public.eval "$FIXTURES/inspect_ai/log_read_sample.json" \
		"$FIXTURES/inspect_ai/log_tool_call_error.json" &&
	test_expect_code 3 alibi import --db public.db public.eval >out 2>err &&
	imported out >actual &&
	cat >expect <<-\EOT &&
	popularity-sample-1-epoch-1: public.eval (inspect): 3 records
	popularity-sample-1-epoch-4: public.eval (inspect): 11 records, 11 skipped
	EOT
	test_cmp expect actual &&
	grep -c "^alibi: public.eval:samples/1_epoch_4.json: tool result for unknown tool call .bash_[0-9]*.$" err >n &&
	echo 11 >eleven && test_cmp eleven n &&
	listing public.db >actual &&
	cat >expect <<-\EOT &&
	popularity-sample-1-epoch-1 1 3 popularity/sample-1/epoch-1
	popularity-sample-1-epoch-4 1 11 popularity/sample-1/epoch-4
	EOT
	test_cmp expect actual
'

eval_test 'a sample entry that is not JSON is reported as FILE:ENTRY; the others import' '
	python3 "$MAKE_EVAL" --not-json 2 notjson.eval multi.json &&
	test_expect_code 3 alibi import --db bad.db notjson.eval >out 2>err &&
	echo "alibi: notjson.eval:samples/cfg_epoch_1.json:1: invalid or truncated JSON; entry skipped" >expect &&
	test_cmp expect err &&
	listing bad.db | cut -d" " -f1 >actual &&
	printf "%s\n" ops-cleanup-sample-7-epoch-1 ops-cleanup-sample-7-epoch-2 \
		ops-cleanup-sample-cfg-epoch-2 >expect &&
	test_cmp expect actual
'

eval_test 'an entry with invalid UTF-8 is imported as U+FFFD, and said' '
	python3 "$MAKE_EVAL" --bad-utf8 1 utf8.eval multi.json &&
	test_expect_code 3 alibi import --db utf8.db utf8.eval >out 2>err &&
	grep "^alibi: utf8.eval:samples/7_epoch_1.json:[0-9]*: invalid UTF-8 (first at byte [0-9]*); shown as U+FFFD$" err &&
	alibi sql --db utf8.db --json "SELECT text FROM messages WHERE role = '\''system'\''" >json &&
	grep "$(printf "\\357\\277\\275")You maintain a build server." json &&
	listing utf8.db | wc -l >n && echo 4 >four && test_cmp four n
'

eval_test 'a truncated archive fails as a whole, leaving nothing behind' '
	python3 "$MAKE_EVAL" --truncate 2000 cut.eval multi.json &&
	test_expect_code 3 alibi import --db cut.db cut.eval >out 2>err &&
	grep "^cut: cut.eval: failed: cut.eval: not a readable zip archive (.*): truncated or damaged$" out &&
	alibi incidents --db cut.db | sed 1d >rows &&
	test ! -s rows
'

eval_test UNSANITIZED 'a zip bomb is refused without inflating it; the other samples import' '
	python3 "$MAKE_EVAL" --bomb 3 300 bomb.eval multi.json &&
	test $(wc -c <bomb.eval) -lt 1000000 &&
	(ulimit -v 262144 && alibi import --db bomb.db bomb.eval >out 2>err; echo $? >code) &&
	echo 3 >expect && test_cmp expect code &&
	echo "alibi: bomb.eval:samples/7_epoch_2.json: 314572800 bytes uncompressed, over the 256 MiB an entry may hold; skipped" >expect &&
	test_cmp expect err &&
	listing bomb.db | wc -l >n && echo 3 >three && test_cmp three n
'

eval_test 'an entry inflating past what it declares is refused as it inflates' '
	python3 "$MAKE_EVAL" --bomb 3 40 --declare 3 4096 lying.eval multi.json &&
	test_expect_code 3 alibi import --db lying.db lying.eval >out 2>err &&
	echo "alibi: lying.eval:samples/7_epoch_2.json: expands beyond the 4096 bytes it declares; skipped" >expect &&
	test_cmp expect err
'

eval_test 'a zip that is not an Inspect log is not claimed' '
	python3 -c "import zipfile; z = zipfile.ZipFile(\"other.zip\", \"w\"); z.writestr(\"report.txt\", \"hello\"); z.close()" &&
	test_expect_code 3 alibi import --db other.db other.zip >out 2>err &&
	grep "other.zip: no format recognises this file" err
'

test_expect_success 'alibi formats tells what inspect reads and detects' '
	alibi formats >formats &&
	grep "^inspect .*\\.json or zipped \\.eval: each sample an incident" formats &&
	grep "zip archive whose entries include header.json, _journal/ or samples/" formats
'
test_done
