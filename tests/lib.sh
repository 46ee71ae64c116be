# tests/lib.sh — the helper library for command-line and console tests.
#
# A test file reads like a story:
#
#   . "$(dirname "$0")/../lib.sh"
#   test_expect_success 'import reports the bad line' '
#       alibi import --db ws.db broken.jsonl >out 2>err; test $? = 3 &&
#       cat >expect <<-\EOT &&
#       broken.jsonl:2: invalid JSON
#       EOT
#       grep broken.jsonl:2 err >actual &&
#       test_cmp expect actual
#   '
#   test_done
#
# Each test runs in a subshell inside a fresh trash directory ($TRASH is the
# same directory for the whole file, so tests may build on each other);
# a failing test prints its output, including what test_cmp found.

set -u
TOP=${ALIBI_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
DATA=${ALIBI_TESTDATA:-$TOP/tests/data}
SAMPLES=$TOP/sample-logs
FIXTURES=${ALIBI_FIXTURES:-}
PATH=$TOP:$PATH
# tests/run names the binary of its BUILD (build-x/alibi): that one runs.
[ -n "${ALIBI:-}" ] && PATH=$(dirname "$ALIBI"):$PATH
export PATH TOP DATA SAMPLES FIXTURES
# A predictable environment: no colours, no user config, a private data dir.
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/alibi-test.XXXXXX")
export HOME="$TRASH/home" XDG_DATA_HOME="$TRASH/home/.local/share" \
       XDG_CONFIG_HOME="$TRASH/home/.config" NO_COLOR=1 TZ=UTC LC_ALL=C.UTF-8
mkdir -p "$HOME"
cd "$TRASH" || exit 2
trap 'cd / && rm -rf "$TRASH"' EXIT

test_count=0
test_failed=0

test_expect_success() {
	test_count=$((test_count + 1))
	if [ "$#" = 3 ]; then prereq=$1; shift; else prereq=; fi
	if [ -n "$prereq" ] && ! test_have_prereq "$prereq"; then
		echo "ok - $1 # SKIP missing $prereq"
		return 0
	fi
	out=$(mktemp "$TRASH/.out.XXXXXX")
	(eval "$2") >"$out" 2>&1
	code=$?
	if [ "$code" = 0 ]; then
		echo "ok - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok - $1"
		sed 's/^/#  /' "$out"
	fi
	rm -f "$out"
}

test_have_prereq() {
	case "$1" in
	FIXTURES) [ -n "$FIXTURES" ] && [ -d "$FIXTURES" ] ;;
	TMUX) command -v tmux >/dev/null 2>&1 ;;
	STRACE) command -v strace >/dev/null 2>&1 ;;
	# the sanitizers reserve terabytes of address space: no `ulimit -v`
	UNSANITIZED) [ -z "${ALIBI_SANITIZED:-}" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

# test_cmp EXPECTED ACTUAL — like git's: a unified diff when they differ.
test_cmp() {
	diff -u "$1" "$2"
}

# test_expect_code N CMD... — runs CMD and checks its exit status.
test_expect_code() {
	want=$1; shift
	"$@"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "expected exit $want from '$*', got $got"
		return 1
	fi
}

test_done() {
	[ "$test_failed" = 0 ]
}
