#!/bin/sh
# run.sh BIN_DIR - perfkit's benchmark (`make bench`): generates a year of
# minute samples for two profiles outside the repository (reused while the
# parameters stay the same), then measures with GNU time the first ingest, the
# same input through `sqlite-utils insert`, an unchanged re-ingest,
# perfanalyze --analyze/--compare over a year, and peak memory on a 4x larger
# corpus, and prints one line per figure with its target and PASS/FAIL.
# Exits 0 even when a target is missed (it is a report); non-zero when a
# command itself failed or a tool is missing.
#
# Then (bench/formats.sh) every other line-oriented format, a 50 MB F5
# experiment profile and a 1 GB mixed tree half inside archives, in a second
# table.
# Then (bench/peers.sh) perfingest side by side with DuckDB, the writer
# against a bare SQLite insert, appending, --list, in a third table.
# Then (bench/tar_members.sh) tars of 10,000 and 100,000 one-line members.
# Last (bench/analyses.sh) every perfanalyze analysis over a year of samples
# and 10,000 agent runs against its 2 s target, in a fourth table.
#
# Environment: PERFKIT_BENCH_DIR (default /tmp/perfkit-bench) holds the corpus
# and databases; PERFKIT_BENCH_QUICK=1 skips the sqlite-utils run and the 4x
# corpus and uses smaller format corpora; PERFKIT_BENCH_FORMATS=0 skips the
# formats part; PERFKIT_BENCH_REPEAT (default 3) is how many times each perfkit
# command runs (the median time is reported); PERFKIT_BENCH_ANALYSES=0 skips
# the analyses table; PERFKIT_BENCH_PEERS=0 the peers table;
# PERFKIT_BENCH_TAR=0 the many-small-members table.  See bench/README.md.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: sh bench/run.sh BIN_DIR   (BIN_DIR holds perfingest, perfanalyze)" >&2
	exit 2
fi
case $1 in
/*) BIN=$1 ;;
*) BIN=$(pwd)/$1 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${PERFKIT_BENCH_DIR:-/tmp/perfkit-bench}
QUICK=${PERFKIT_BENCH_QUICK:-0}
FORMATS=${PERFKIT_BENCH_FORMATS:-1}
REPEAT=${PERFKIT_BENCH_REPEAT:-3}
TIME=/usr/bin/time
CC=${CC:-cc}

# Corpus parameters.  END is 2025-12-14T00:00:00Z; a year is 525,600 minutes,
# so --hours 8784 (366 days) covers all of it.  Spec: name:minutes:cores:latency_ms:seed
END=1765670400
YEAR=525600
HOURS=8784
MAIN_SPECS="bench_a:$YEAR:8:1400:1 bench_b:$YEAR:16:450:2"
# 4x the lines of the main corpus: four profiles of two years each.
BIG_SPECS="bench_c:$((2 * YEAR)):12:900:3 bench_d:$((2 * YEAR)):12:700:4 \
bench_e:$((2 * YEAR)):12:1100:5 bench_f:$((2 * YEAR)):12:500:6"
RSS_LIMIT=65536     # KB
RATE_TARGET=100000  # lines/s
RATIO_TARGET=8
REINGEST_PCT=1
COMPARE_S=1

failed=0
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
note() { printf '%s\n' "bench: $*" >&2; }

for t in "$TIME" "$BIN/perfingest" "$BIN/perfanalyze"; do
	if [ ! -x "$t" ]; then
		note "$t not found or not executable (run make build / make bench-deps)"
		failed=1
	fi
done
[ -x "$TIME" ] || exit 1
HAVE_INGEST=0
HAVE_ANALYZE=0
[ -x "$BIN/perfingest" ] && HAVE_INGEST=1
[ -x "$BIN/perfanalyze" ] && HAVE_ANALYZE=1

mkdir -p "$DIR"

# --- corpus -----------------------------------------------------------------
$CC -std=c11 -O2 -o "$DIR/gen_corpus.tmp" "$HERE/gen_corpus.c" -lm
mv "$DIR/gen_corpus.tmp" "$DIR/gen_corpus"
GEN_SUM=$(cksum < "$HERE/gen_corpus.c")

# gen_set DIRNAME SPECS: (re)generates $DIR/DIRNAME unless its stamp matches.
gen_set() {
	set_dir=$DIR/$1
	stamp="v1 end=$END specs=$2 gen=$GEN_SUM"
	if [ -f "$set_dir.params" ] && [ "$(cat "$set_dir.params")" = "$stamp" ]; then
		complete=1
		for spec in $2; do
			[ -s "$set_dir/hardware_profile_${spec%%:*}.jsonl" ] || complete=0
		done
		if [ "$complete" = 1 ]; then
			note "reusing $set_dir"
			return 0
		fi
	fi
	note "generating $set_dir"
	rm -rf "$set_dir" "$set_dir.tmp" "$set_dir.params"
	mkdir -p "$set_dir.tmp"
	start=$(date +%s)
	pids=""
	n=0
	for spec in $2; do
		IFS=: read -r name mins cores lat seed <<EOF
$spec
EOF
		"$DIR/gen_corpus" "$set_dir.tmp/hardware_profile_$name.jsonl" "$name" \
			"$END" "$mins" "$cores" "$lat" "$seed" &
		pids="$pids $!"
		n=$((n + 1))
		if [ "$n" -ge 2 ]; then   # two at a time: this is a 2-core machine
			for p in $pids; do wait "$p" || return 1; done
			pids=""
			n=0
		fi
	done
	for p in $pids; do wait "$p" || return 1; done
	mv "$set_dir.tmp" "$set_dir"
	printf '%s\n' "$stamp" > "$set_dir.params"
	note "generated $set_dir in $(($(date +%s) - start)) s"
}

# lines_of SPECS / bytes_of DIRNAME
lines_of() {
	total=0
	for spec in $1; do
		mins=$(printf '%s' "$spec" | cut -d: -f2)
		total=$((total + mins))
	done
	echo "$total"
}
bytes_of() {
	total=0
	for f in "$DIR/$1"/*.jsonl; do
		total=$((total + $(wc -c < "$f")))
	done
	echo "$total"
}

gen_set corpus "$MAIN_SPECS" || { note "corpus generation failed"; exit 1; }
LINES=$(lines_of "$MAIN_SPECS")
BYTES=$(bytes_of corpus)
if [ "$QUICK" != 1 ] && [ "$HAVE_INGEST" = 1 ]; then
	gen_set corpus4x "$BIG_SPECS" || { note "4x corpus generation failed"; exit 1; }
	BIG_LINES=$(lines_of "$BIG_SPECS")
	BIG_BYTES=$(bytes_of corpus4x)
fi

# --- measuring --------------------------------------------------------------
# measure TAG STDOUT CMD...: runs CMD under GNU time; sets E (elapsed s),
# M (peak RSS KB) and RC; stdout goes to STDOUT, stderr to $DIR/TAG.log.
measure() {
	tag=$1
	out=$2
	shift 2
	note "running $tag: $*"
	sync   # flush earlier writes so they do not land inside this measurement
	set +e
	"$TIME" -f '%e %M' -o "$DIR/$tag.time" "$@" > "$out" 2> "$DIR/$tag.log"
	RC=$?
	set -e
	last=$(tail -n 1 "$DIR/$tag.time")
	E=${last% *}
	M=${last#* }
}

# measure_rep PREP OK_CODES TAG STDOUT CMD...: $REPEAT runs of measure, PREP
# (a command) before each; E = median elapsed, M = largest peak RSS, RC = the
# last exit status (the first one outside OK_CODES stops the runs).
measure_rep() {
	prep=$1
	ok=$2
	shift 2
	es=""
	mm=0
	k=0
	while [ "$k" -lt "$REPEAT" ]; do
		$prep
		measure "$@"
		es="$es $E"
		[ "$M" -gt "$mm" ] && mm=$M
		case " $ok " in *" $RC "*) ;; *) break ;; esac
		k=$((k + 1))
	done
	# shellcheck disable=SC2086
	E=$(printf '%s\n' $es | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	M=$mm
}
# shellcheck disable=SC2317  # called through measure_rep's PREP
fresh_bench_db() { rm_db "$DIR/bench.db"; }

# check TAG RC OK_CODES: a command failure is reported and remembered.
check() {
	case " $3 " in
	*" $2 "*) ;;
	*)
		note "$1 failed (exit $2); last lines of $DIR/$1.log:"
		tail -n 5 "$DIR/$1.log" >&2 || true
		failed=1
		return 1
		;;
	esac
	if [ "$2" != 0 ]; then
		note "$1: exit $2 (some input rejected?); see $DIR/$1.log"
	fi
}

calc() { awk "BEGIN { printf \"%s\", $1 }"; }
# verdict EXPR: PASS when the awk expression is true
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }

ROWS=""
row() { ROWS="$ROWS$(printf '%-52s %12s  %-14s %s' "$1" "$2" "$3" "$4")
"; }
skip() { row "$1" "-" "$2" "SKIP"; }

rm_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

PK_E=""
if [ "$HAVE_INGEST" = 1 ]; then
	# (1) first ingest into a fresh database
	measure_rep fresh_bench_db "0 1" ingest "$DIR/ingest.out" "$BIN/perfingest" --db "$DIR/bench.db" "$DIR/corpus/"
	if check ingest "$RC" "0 1"; then
		PK_E=$E
		rate=$(calc "sprintf(\"%.0f\", $LINES / ($E > 0 ? $E : 0.01))")
		row "perfingest first ingest: elapsed (s)" "$E" "-" "info"
		row "perfingest first ingest: lines/s" "$rate" ">= $RATE_TARGET" \
			"$(verdict "$rate >= $RATE_TARGET")"
		row "perfingest first ingest: MB/s" \
			"$(calc "sprintf(\"%.1f\", $BYTES / 1e6 / ($E > 0 ? $E : 0.01))")" "-" "info"
		row "perfingest first ingest: peak RSS (KB)" "$M" "<= $RSS_LIMIT" \
			"$(verdict "$M <= $RSS_LIMIT")"
		PK_M=$M
	else
		row "perfingest first ingest" "exit $RC" "-" "FAIL"
	fi
else
	skip "perfingest first ingest" ">= $RATE_TARGET"
fi

# (2) sqlite-utils over the same lines, file after file, into a fresh db
SU_E=""
if [ "$QUICK" = 1 ]; then
	skip "sqlite-utils insert" "(QUICK=1)"
elif ! command -v sqlite-utils > /dev/null 2>&1; then
	note "sqlite-utils not found (make bench-deps installs it)"
	failed=1
	skip "sqlite-utils insert" "-"
else
	rm_db "$DIR/su.db"
	su_e=0
	su_m=0
	su_ok=1
	for f in "$DIR"/corpus/*.jsonl; do
		measure sqlite-utils /dev/null sqlite-utils insert "$DIR/su.db" samples "$f" \
			--nl --flatten
		check sqlite-utils "$RC" "0" || { su_ok=0; break; }
		su_e=$(calc "$su_e + $E")
		su_m=$(calc "($M > $su_m) ? $M : $su_m")
	done
	if [ "$su_ok" = 1 ]; then
		SU_E=$su_e
		row "sqlite-utils insert: elapsed (s)" "$su_e" "-" "info"
		row "sqlite-utils insert: lines/s" "$(calc "sprintf(\"%.0f\", $LINES / $su_e)")" "-" "info"
		row "sqlite-utils insert: MB/s" \
			"$(calc "sprintf(\"%.1f\", $BYTES / 1e6 / $su_e)")" "-" "info"
		row "sqlite-utils insert: peak RSS (KB)" "$su_m" "-" "info"
	else
		row "sqlite-utils insert" "exit $RC" "-" "FAIL"
	fi
	rm_db "$DIR/su.db"   # about 0.6 GB, not needed any more
fi
if [ -n "$PK_E" ] && [ -n "$SU_E" ]; then
	ratio=$(calc "$SU_E / ($PK_E > 0 ? $PK_E : 0.01)")
	row "speed ratio perfingest / sqlite-utils" "$(calc "sprintf(\"%.1fx\", $ratio)")" \
		">= ${RATIO_TARGET}x" "$(verdict "$ratio >= $RATIO_TARGET")"
else
	skip "speed ratio perfingest / sqlite-utils" ">= ${RATIO_TARGET}x"
fi

if [ -n "$PK_E" ]; then
	# (3) re-ingest of the unchanged corpus into the same database
	measure_rep : "0 1" reingest "$DIR/reingest.out" "$BIN/perfingest" --db "$DIR/bench.db" "$DIR/corpus/"
	if check reingest "$RC" "0 1"; then
		pct=$(calc "100 * $E / ($PK_E > 0 ? $PK_E : 0.01)")
		row "unchanged re-ingest: elapsed (s)" "$E" "-" "info"
		row "unchanged re-ingest: % of first ingest" \
			"$(calc "sprintf(\"%.2f%%\", $pct)")" "< ${REINGEST_PCT}%" \
			"$(verdict "$pct < $REINGEST_PCT")"
	else
		row "unchanged re-ingest" "exit $RC" "-" "FAIL"
	fi

	# (4) analyses over a year per profile
	if [ "$HAVE_ANALYZE" = 1 ]; then
		measure_rep : 0 analyze /dev/null "$BIN/perfanalyze" --db "$DIR/bench.db" \
			--analyze bench_a --hours "$HOURS"
		if check analyze "$RC" "0"; then
			row "perfanalyze --analyze (1 year): elapsed (s)" "$E" "-" "info"
			row "perfanalyze --analyze (1 year): peak RSS (KB)" "$M" "-" "info"
		else
			row "perfanalyze --analyze (1 year)" "exit $RC" "-" "FAIL"
		fi
		measure_rep : 0 compare /dev/null "$BIN/perfanalyze" --db "$DIR/bench.db" \
			--compare bench_a bench_b --hours "$HOURS"
		if check compare "$RC" "0"; then
			row "perfanalyze --compare (1 year each): elapsed (s)" "$E" "< ${COMPARE_S} s" \
				"$(verdict "$E < $COMPARE_S")"
			row "perfanalyze --compare (1 year each): peak RSS (KB)" "$M" "-" "info"
		else
			row "perfanalyze --compare (1 year each)" "exit $RC" "-" "FAIL"
		fi
	else
		skip "perfanalyze --compare (1 year each)" "< ${COMPARE_S} s"
	fi

	# (5) memory does not grow with input: 4x the lines into a fresh database
	if [ "$QUICK" = 1 ]; then
		skip "4x corpus ingest: peak RSS (KB)" "(QUICK=1)"
	else
		rm_db "$DIR/big.db"
		measure ingest4x "$DIR/ingest4x.out" "$BIN/perfingest" --db "$DIR/big.db" "$DIR/corpus4x/"
		if check ingest4x "$RC" "0 1"; then
			row "4x corpus ingest: lines" "$BIG_LINES" "-" "info"
			row "4x corpus ingest: elapsed (s)" "$E" "-" "info"
			row "4x corpus ingest: lines/s" \
				"$(calc "sprintf(\"%.0f\", $BIG_LINES / ($E > 0 ? $E : 0.01))")" "-" "info"
			row "4x corpus ingest: MB/s" \
				"$(calc "sprintf(\"%.1f\", $BIG_BYTES / 1e6 / ($E > 0 ? $E : 0.01))")" "-" "info"
			row "4x corpus ingest: peak RSS (KB)" "$M" "<= $RSS_LIMIT" \
				"$(verdict "$M <= $RSS_LIMIT")"
			# bounded: at most 10 % (or 4 MB) above the 1x ingest
			allow=$(calc "int($PK_M / 10 > 4096 ? $PK_M / 10 : 4096)")
			row "4x vs 1x peak RSS growth (KB)" "$((M - PK_M))" "<= $allow" \
				"$(verdict "$M - $PK_M <= $allow")"
		else
			row "4x corpus ingest" "exit $RC" "-" "FAIL"
		fi
		rm_db "$DIR/big.db"   # a few GB, not needed any more
	fi
else
	skip "unchanged re-ingest: % of first ingest" "< ${REINGEST_PCT}%"
	skip "perfanalyze --compare (1 year each)" "< ${COMPARE_S} s"
	skip "4x corpus ingest: peak RSS (KB)" "<= $RSS_LIMIT"
fi

if [ "$FORMATS" != 0 ]; then
	# shellcheck disable=SC1091  # formats.sh: checked on its own
	. "$HERE/formats.sh"
fi

# (6) speed and size against DuckDB, the writer against a bare insert,
# appending, --list (bench/peers.sh, its own process and table).
PEERS_OUT=""
if [ "${PERFKIT_BENCH_PEERS:-1}" = 0 ]; then
	PEERS_OUT="
perfkit bench, peers: skipped (PERFKIT_BENCH_PEERS=0)"
elif [ "$HAVE_INGEST" = 1 ] && [ "$HAVE_ANALYZE" = 1 ]; then
	PEERS_OUT=$(sh "$HERE/peers.sh" "$BIN") || failed=1
fi

# (6b) tars of 10,000 and 100,000 one-line members (bench/tar_members.sh,
# its own table).  PERFKIT_BENCH_TAR=0 skips it.
TAR_OUT=""
if [ "${PERFKIT_BENCH_TAR:-1}" = 0 ]; then
	TAR_OUT="
perfkit bench, many small members: skipped (PERFKIT_BENCH_TAR=0)"
elif [ "$HAVE_INGEST" = 1 ]; then
	TAR_OUT=$(sh "$HERE/tar_members.sh" "$BIN") || failed=1
fi

# (7) every perfanalyze analysis against its 2 s target (bench/analyses.sh,
# its own process; it works on a copy of bench.db).  Its table comes last.
ANA_OUT=""
if [ "${PERFKIT_BENCH_ANALYSES:-1}" = 0 ]; then
	ANA_OUT="
perfkit bench, analyses: skipped (PERFKIT_BENCH_ANALYSES=0)"
elif [ "$HAVE_INGEST" = 1 ] && [ "$HAVE_ANALYZE" = 1 ]; then
	ANA_OUT=$(sh "$HERE/analyses.sh" "$BIN") || failed=1
else
	ANA_OUT="
perfkit bench, analyses: skipped (perfingest or perfanalyze missing)"
fi

echo "perfkit bench: $LINES lines ($(calc "sprintf(\"%.1f\", $BYTES / 1e6)") MB) in" \
	"$DIR/corpus, 2 profiles x 1 year of minute samples; $(nproc 2>/dev/null || echo '?') CPUs;" \
	"load average at start: $LOAD0, at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "perfingest/perfanalyze times: median of $REPEAT runs (first ingest: fresh db each run);" \
	"sqlite-utils and the 4x ingest: one run; peak RSS: largest of the runs"
printf '%-52s %12s  %-14s %s\n' "figure" "value" "target" "result"
printf '%s' "$ROWS"
if [ "$FORMATS" != 0 ]; then
	fmt_print
else
	echo
	echo "perfkit bench, formats: skipped (PERFKIT_BENCH_FORMATS=0)"
fi
printf '%s\n' "$PEERS_OUT"
printf '%s\n' "$TAR_OUT"
printf '%s\n' "$ANA_OUT"
# (7) the requirements report over four profiles a year each (its own table)
sh "$HERE/requirements.sh" "$BIN" || failed=1
# (8) perfreport --all over 100 experiments (its own table)
sh "$HERE/all.sh" "$BIN" || failed=1
if [ "$failed" != 0 ]; then
	note "a command failed or a tool is missing: see the messages above"
	exit 1
fi
exit 0
