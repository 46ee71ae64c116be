#!/bin/sh
# Without an action log, the operations derived from the tool calls'
# commands still carry the analysis: each sample's transcript alone gives
# the finding kinds its expected-findings.json lists, and the control none.
. "$(dirname "$0")/../lib.sh"

expected_kinds() {
	grep -o '"kind": *"[a-z-]*"' "$SAMPLES/$1/expected-findings.json" |
		sed 's/.*"\([a-z-]*\)"$/\1/' | sort -u
}

found_kinds() {
	alibi findings --db ws.db --json "$1" |
		grep -o '{"id": "[0-9a-f]*", "incident": "[a-z-]*", "kind": "[a-z-]*"' |
		sed 's/.*"kind": "\([a-z-]*\)"$/\1/' | sort -u
}

for sample in peer-preservation covert-rename honest-cleanup; do
	test_expect_success "$sample: the transcript alone gives the expected kinds" "
		cp \"\$SAMPLES/$sample/transcript.json\" $sample.json &&
		alibi import --db ws.db $sample.json >/dev/null &&
		expected_kinds $sample >expect &&
		found_kinds $sample >actual &&
		test_cmp expect actual &&
		alibi sql --db ws.db \"SELECT count(*) FROM ops WHERE derived = 0 AND incident = (SELECT id FROM incidents WHERE slug = '$sample')\" | sed -n 2p >syscall_ops &&
		echo 0 >zero && test_cmp zero syscall_ops
	"
done
test_done
