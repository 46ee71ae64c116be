#!/bin/sh
# bench/run.sh — alibi's benchmark (`make bench`).
#
# Generates strace -f -tt -y logs and their transcripts with gen-strace at
# 100k and 1M lines (10M too with BENCH_FULL=1), then measures alibi next
# to a reference on the same file in the same run, alternating the two, and
# prints the median of BENCH_RUNS runs (5) as a table.  Nothing here
# asserts a timing: targets are printed next to the numbers.
#
#   BENCH_FULL=1     add the 10M-line log (scaling and memory at 10M)
#   BENCH_RUNS=N     runs per measurement (default 5)
#   BENCH_WORK=DIR   scratch directory (default build/bench)
#   ALIBI=PATH       the alibi binary to measure (default: `make alibi`, ./alibi)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
RUNS=${BENCH_RUNS:-5}
W=${BENCH_WORK:-$TOP/build/bench}
SIZES="100000 1000000"
[ "${BENCH_FULL:-0}" = 1 ] && SIZES="$SIZES 10000000"
PAGES=1000
CC=${CC:-cc}

say() { printf '%s\n' "$*" >&2; }

if [ -z "${ALIBI:-}" ]; then
	make --no-print-directory alibi >&2
	ALIBI=$TOP/alibi
fi
mkdir -p "$W"
$CC -std=c11 -O2 -Wall -Wextra -o "$W/gen-strace" bench/gen-strace.c
$CC -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -o "$W/sqlite-ceiling" \
	bench/sqlite-ceiling.c $(pkg-config --cflags --libs sqlite3)

if ! command -v lnav >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	say "bench: installing lnav for the reference"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lnav >/dev/null 2>&1 || true
fi
HAVE_LNAV=0
if command -v lnav >/dev/null 2>&1; then
	HAVE_LNAV=1
	# lnav reads formats from <config dir>/formats/<any>/<name>.json
	mkdir -p "$W/lnav/formats/strace" "$W/lnav-home"
	cp bench/lnav/strace_f.json "$W/lnav/formats/strace/"
fi

# run_us CMD... — runs CMD once; prints its wall time in microseconds and
# leaves its peak RSS (KB) in $W/rss.  A failing CMD (import exit 3 means
# records were skipped) stops the benchmark.
run_us() {
	t0=$(date +%s%N)
	if ! /usr/bin/time -f %M -o "$W/rss" "$@" >"$W/out" 2>"$W/err"; then
		say "bench: failed: $*"
		cat "$W/err" >&2
		exit 1
	fi
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}

# median LIST... (integers)
median() {
	printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"
}

# pct P FILE — the P-th percentile of the numbers in FILE, one a line
pct() {
	sort -n "$2" | awk -v p="$1" '{ v[NR] = $1 } END { i = int((NR * p + 99) / 100); if (i < 1) i = 1; print v[i] }'
}

ms() { awk -v u="$1" 'BEGIN { printf "%.1f ms", u / 1000 }'; }
sec() { awk -v u="$1" 'BEGIN { printf "%.2f s", u / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "-" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

fresh_db() { rm -f "$W/ws.db" "$W/ws.db-wal" "$W/ws.db-shm"; }

printf ':quit\n' >"$W/quit.script"
{ echo '<Enter>'; echo '<Tab>'; echo '/zz-no-such-op-zz<Enter>'; } >"$W/search.script"
{ echo '<Enter>'; echo '<Tab>'; i=0; while [ $i -lt $PAGES ]; do echo '<PgDn>'; i=$((i + 1)); done; } \
	>"$W/page.script"

ROWS=
row() { ROWS="$ROWS$(printf '%-38s %-14s %-24s %-8s %s' "$@")
"; }

for n in $SIZES; do
	log=$W/s$n.strace
	tr=$W/s$n.json
	say "bench: generating $n lines"
	"$W/gen-strace" "$n" "$tr" >"$log"
	lines=$(wc -l <"$log")
	imp= rss= ceil= lnv= fnd= con= ana= srch= grp=
	: >"$W/pgdn"
	r=0
	while [ $r -lt "$RUNS" ]; do
		r=$((r + 1))
		say "bench: $n lines, run $r/$RUNS"
		fresh_db
		imp="$imp $(run_us "$ALIBI" import --db "$W/ws.db" "$tr" "$log")"
		rss="$rss $(cat "$W/rss")"
		[ "$n" = 1000000 ] || continue
		ceil="$ceil $(run_us "$W/sqlite-ceiling" "$log" "$W/ceiling.db")"
		if [ $HAVE_LNAV = 1 ]; then
			lnv="$lnv $(run_us env HOME="$W/lnav-home" lnav -n -I "$W/lnav" \
				-c ';SELECT count(*) FROM strace_f_log' "$log")"
			got=$(awk 'NR == 2 { print $1 }' "$W/out")
			if [ "$got" != "$lines" ]; then
				say "bench: lnav counted '$got' lines of $lines; its row is left out"
				HAVE_LNAV=2
			fi
		fi
		fnd="$fnd $(run_us "$ALIBI" findings --db "$W/ws.db")"
		con="$con $(run_us "$ALIBI" --db "$W/ws.db" --script "$W/quit.script")"
		ana="$ana $(run_us "$ALIBI" analyze --db "$W/ws.db")"
		run_us env ALIBI_KEY_TIMES="$W/keys" "$ALIBI" --db "$W/ws.db" --script "$W/search.script" >/dev/null
		srch="$srch $(awk '$1 == "Enter" { v = $2 } END { print v }' "$W/keys")"
		grp="$grp $(run_us sh -c 'grep -cP "zz-no-such-op-zz" "$1" || true' sh "$log")"
		run_us env ALIBI_KEY_TIMES="$W/keys" "$ALIBI" --db "$W/ws.db" --script "$W/page.script" >/dev/null
		awk '$1 == "PgDn" { print $2 }' "$W/keys" >>"$W/pgdn"
	done
	# shellcheck disable=SC2086
	{
		imp_m=$(median $imp)
		eval "imp_$n=$imp_m"
		eval "rss_$n=$(median $rss)"
		eval "lines_$n=$lines"
	}
	[ "$n" = 1000000 ] || continue
	# shellcheck disable=SC2086
	{
		ceil_m=$(median $ceil)
		row "import 1M vs SQLite insert ceiling" "$(sec "$imp_m")" "sqlite-ceiling $(sec "$ceil_m")" \
			"$(ratio "$imp_m" "$ceil_m")" "(alibi / ceiling)"
		if [ $HAVE_LNAV = 1 ]; then
			lnv_m=$(median $lnv)
			row "import 1M vs lnav indexing" "$(sec "$imp_m")" "lnav $(sec "$lnv_m")" \
				"$(ratio "$imp_m" "$lnv_m")" "(alibi / lnav; lnav count = $lines lines)"
		else
			row "import 1M vs lnav indexing" "-" "-" "-" "skipped: lnav not installed or its count differed"
		fi
		fnd_m=$(median $fnd)
		con_m=$(median $con)
		row "reopen: alibi findings" "$(ms "$fnd_m")" "" "" "target <= 50 ms"
		row "reopen: console headless :quit" "$(ms "$con_m")" "" "" "target <= 50 ms"
		ana_m=$(median $ana)
		row "analysis: alibi analyze" "$(sec "$ana_m")" "import $(sec "$imp_m")" \
			"$(ratio "$ana_m" "$imp_m")" "target <= 0.5x import"
		srch_m=$(median $srch)
		grp_m=$(median $grp)
		row "search: console / (no match, 2 panes)" "$(ms "$srch_m")" "grep -cP $(ms "$grp_m")" \
			"$(ratio "$srch_m" "$grp_m")" "(console key time / grep wall time)"
		row "console: $PAGES x PgDn per key" "p50 $(ms "$(pct 50 "$W/pgdn")")" \
			"p99 $(ms "$(pct 99 "$W/pgdn")")" "" "max $(ms "$(pct 100 "$W/pgdn")") ($RUNS runs)"
	}
done

# Memory and scaling come from the import runs above.
for n in 1000000 10000000; do
	eval "v=\${rss_$n:-}"
	[ -n "$v" ] && row "memory: peak RSS import $((n / 1000000))M" "$(mb "$v")" "" "" ""
done
lo= hi=
for n in $SIZES; do
	eval "t=\$imp_$n l=\$lines_$n"
	per=$(awk -v t="$t" -v l="$l" 'BEGIN { printf "%.3f", t / l }')
	row "scaling: import $n lines" "$per us/line" "$(sec "$t")" "" ""
	lo=$(awk -v a="$per" -v b="${lo:-$per}" 'BEGIN { print (a < b) ? a : b }')
	hi=$(awk -v a="$per" -v b="${hi:-$per}" 'BEGIN { print (a > b) ? a : b }')
done
row "scaling: max / min time per line" "$(awk -v a="$hi" -v b="$lo" 'BEGIN { printf "%.2f", a / b }')" \
	"" "" "target <= 1.20"

printf '%-38s %-14s %-24s %-8s %s\n' "measure (median of $RUNS)" "alibi" "reference" "ratio" "note"
printf '%s' "$ROWS"
# The logs are regenerated on every run (a 10M-line log is about 1 GB).
rm -f "$W/ws.db" "$W/ws.db-wal" "$W/ws.db-shm" "$W/ceiling.db" "$W/ceiling.db-wal" \
	"$W/ceiling.db-shm" "$W"/s*.strace "$W"/s*.json
