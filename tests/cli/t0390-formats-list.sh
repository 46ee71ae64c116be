#!/bin/sh
# alibi formats: every format listed with its name, kind and what detection
# looks at, and each one documented in alibi-formats(5).
. "$(dirname "$0")/../lib.sh"

test_expect_success 'formats lists each format with its kind and what it detects on' '
	alibi formats >out &&
	head -n 1 out >head &&
	echo "FORMAT          KIND        DESCRIPTION" >expect &&
	test_cmp expect head &&
	grep "^tagged  *transcript  agentic-misalignment runs: <tool_use:NAME> tags as tools" out &&
	grep "^alibi-jsonl  *actions  *the alibi JSONL action schema" out &&
	grep "^falco  *actions  *Falco JSON alerts" out &&
	names=$(grep -c "^[a-z]" out) && details=$(grep -c "^  *detects: " out) &&
	test "$names" -ge 12 && test "$names" = "$details"
'

test_expect_success 'every format listed is documented in alibi-formats(5), and only those' '
	alibi formats | sed -n "2,\$s/^\\([a-z][a-z-]*\\) .*/\\1/p" | sort >listed &&
	sed -n "/^\\.SH FORMATS/,/^\\.SH TAGGED/p" "$TOP/man/alibi-formats.5" |
		sed -n "/^\\.TP/{n;s/^\\.B \\([a-z\\\\-]*\\)\$/\\1/p;}" | sed "s/\\\\-/-/g" | sort >documented &&
	test_cmp listed documented
'

test_expect_success 'formats --help documents --check' '
	alibi formats --help >out &&
	grep "^       alibi formats --check FILE$" out &&
	grep "^  --check FILE " out &&
	test_expect_code 2 alibi formats --frob 2>err &&
	grep "^usage: alibi formats" err
'
test_done
