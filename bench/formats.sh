# shellcheck shell=sh disable=SC2153  # DIR, BIN, QUICK ... come from run.sh
# formats.sh - the per-format part of `make bench`, sourced by bench/run.sh
# (it uses run.sh's variables and its measure/measure_rep/check/calc/verdict/
# rm_db/note helpers).  Skipped with PERFKIT_BENCH_FORMATS=0.
#
# (a) each line-oriented format (F3, F4, F8 JSONL and CSV, F9; F1 is the main
#     table above) from a corpus of 1,000,000 records (200,000 with QUICK=1)
#     into a fresh database: records/s, MB/s, peak RSS;
# (b) a 50 MB pretty-printed F5 experiment profile (25,300 cycles, both modes):
#     elapsed, peak RSS;
# (c) a mixed tree of every detectable format, about 1 GB (100 MB with
#     QUICK=1), half of it inside .tar.gz/.gz/.zip archives: first ingest
#     (one run) and an unchanged re-ingest.
# Corpora live in $DIR/formats/ and are reused while their parameters and
# generators stay the same.  Sets FROWS; fmt_print prints the table.

FDIR=$DIR/formats
F_LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
FROWS=""
frow() { FROWS="$FROWS$(printf '%-52s %12s  %-14s %s' "$1" "$2" "$3" "$4")
"; }
fskip() { frow "$1" "-" "$2" "SKIP"; }

if [ "$QUICK" = 1 ]; then
	F_RECORDS=200000
	F_DIV=10
else
	F_RECORDS=1000000
	F_DIV=1
fi
F_CYCLES=25300      # about 50 MB of F5 (about 1,980 bytes a cycle)
F_START=1733011200  # 2024-12-01T00:00:00Z

mkdir -p "$FDIR"
$CC -std=c11 -O2 -o "$FDIR/gen_formats.tmp" "$HERE/gen_formats.c" -lm
mv "$FDIR/gen_formats.tmp" "$FDIR/gen_formats"
GF_SUM=$(cksum < "$HERE/gen_formats.c")
EXP_PY=$HERE/../tests/fixtures/experiment/make_experiment.py
EXP_SUM=$(cksum < "$EXP_PY")
TREE_SUM=$(cat "$HERE/gen_formats.c" "$HERE/gen_corpus.c" "$HERE/gen_docs.py" \
	"$HERE/gen_tree.sh" "$EXP_PY" | cksum)

# fresh_stamp FILE STAMP: true when FILE holds STAMP (the corpus is current)
fresh_stamp() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# Line formats: tag kind file-name reader-table extra-perfingest-args
F_SPECS="f3:tes:agent_metrics.csv:agent_run:
f4:wake:wake_word_audit.csv:wake_event:
f8jsonl:gjsonl:frames.jsonl:generic_record:--format generic --source cam0
f8csv:gcsv:stages.csv:generic_record:--format generic --source cam0
f9:nvsmi:nvidia_smi_bench.csv:gpu_sample:"

stamp="v1 records=$F_RECORDS start=$F_START gen=$GF_SUM"
if fresh_stamp "$FDIR/lines.params" "$stamp" && [ -d "$FDIR/lines/f9" ]; then
	note "reusing $FDIR/lines"
else
	note "generating $FDIR/lines ($F_RECORDS records per format)"
	rm -rf "$FDIR/lines" "$FDIR/lines.params"
	start=$(date +%s)
	pids=""
	while IFS=: read -r ftag kind file table args; do
		mkdir -p "$FDIR/lines/$ftag"
		"$FDIR/gen_formats" "$kind" "$FDIR/lines/$ftag/$file" "$F_RECORDS" 7 "$F_START" cam0 &
		pids="$pids $!"
		if [ "$(echo "$pids" | wc -w)" -ge 2 ]; then   # two at a time: 2 cores
			for p in $pids; do wait "$p" || { note "gen_formats $kind failed"; exit 1; }; done
			pids=""
		fi
	done <<EOF
$F_SPECS
EOF
	for p in $pids; do wait "$p" || { note "gen_formats failed"; exit 1; }; done
	printf '%s\n' "$stamp" > "$FDIR/lines.params"
	note "generated $FDIR/lines in $(($(date +%s) - start)) s"
fi

stamp="v1 cycles=$F_CYCLES gen=$EXP_SUM"
if fresh_stamp "$FDIR/experiment.params" "$stamp" && [ -s "$FDIR/experiment/experiment_bench.json" ]; then
	note "reusing $FDIR/experiment"
else
	note "generating $FDIR/experiment ($F_CYCLES cycles)"
	rm -rf "$FDIR/experiment" "$FDIR/experiment.params"
	mkdir -p "$FDIR/experiment"
	python3 "$EXP_PY" --cycles "$F_CYCLES" --seed 7 --out "$FDIR/experiment/experiment_bench.json"
	printf '%s\n' "$stamp" > "$FDIR/experiment.params"
fi

stamp="v1 div=$F_DIV gen=$TREE_SUM"
if fresh_stamp "$FDIR/tree.params" "$stamp" && [ -s "$FDIR/tree.sizes" ]; then
	note "reusing $FDIR/tree"
else
	note "generating $FDIR/tree (1/$F_DIV of 1 GB; about a minute at full size)"
	rm -f "$FDIR/tree.params" "$FDIR/tree.sizes"
	start=$(date +%s)
	sh "$HERE/gen_tree.sh" "$FDIR/tree" "$F_DIV" "$DIR/gen_corpus" "$FDIR/gen_formats" \
		> "$FDIR/tree.sizes.tmp"
	mv "$FDIR/tree.sizes.tmp" "$FDIR/tree.sizes"
	printf '%s\n' "$stamp" > "$FDIR/tree.params"
	note "generated $FDIR/tree in $(($(date +%s) - start)) s"
fi

# summary_count FILE TABLE: "N new" of TABLE in a perfingest summary
summary_count() { awk -v t="$2" '$1 == t && $3 == "new," { print $2 }' "$1"; }
summary_new() { awk '$1 == "new" && $2 == "records:" { print $3 }' "$1"; }
# fresh_fmt_db: PREP of measure_rep
# shellcheck disable=SC2317
fresh_fmt_db() { rm_db "$DIR/fmt.db"; }

if [ "$HAVE_INGEST" = 1 ]; then
	# (a) line-oriented formats
	while IFS=: read -r ftag kind file table args; do
		case $ftag in
		f3) label="F3 agent_metrics.csv" ;;
		f4) label="F4 wake_word_audit.csv" ;;
		f8jsonl) label="F8 generic JSONL" ;;
		f8csv) label="F8 generic CSV" ;;
		f9) label="F9 nvidia-smi CSV (2 GPUs)" ;;
		*) label=$ftag ;;
		esac
		f=$FDIR/lines/$ftag/$file
		bytes=$(wc -c < "$f")
		# shellcheck disable=SC2086
		measure_rep fresh_fmt_db "0 1" "fmt_$ftag" "$DIR/fmt_$ftag.out" \
			"$BIN/perfingest" --db "$DIR/fmt.db" $args "$f" < /dev/null
		if check "fmt_$ftag" "$RC" "0 1"; then
			stored=$(summary_count "$DIR/fmt_$ftag.out" "$table")
			rate=$(calc "sprintf(\"%.0f\", $F_RECORDS / ($E > 0 ? $E : 0.01))")
			frow "$label: records" "$F_RECORDS" "-" \
				"$([ "$stored" = "$F_RECORDS" ] && echo info || echo "FAIL ($table: ${stored:-?} stored)")"
			frow "$label: elapsed (s)" "$E" "-" "info"
			frow "$label: records/s" "$rate" ">= $RATE_TARGET" \
				"$(verdict "$rate >= $RATE_TARGET")"
			frow "$label: MB/s" \
				"$(calc "sprintf(\"%.1f\", $bytes / 1e6 / ($E > 0 ? $E : 0.01))")" "-" "info"
			frow "$label: peak RSS (KB)" "$M" "<= $RSS_LIMIT" "$(verdict "$M <= $RSS_LIMIT")"
		else
			frow "$label" "exit $RC" "-" "FAIL"
		fi
	done <<EOF
$F_SPECS
EOF
	rm_db "$DIR/fmt.db"

	# (b) the 50 MB experiment profile
	f=$FDIR/experiment/experiment_bench.json
	bytes=$(wc -c < "$f")
	measure_rep fresh_fmt_db "0 1" fmt_f5 "$DIR/fmt_f5.out" "$BIN/perfingest" --db "$DIR/fmt.db" "$f"
	if check fmt_f5 "$RC" "0 1"; then
		cyc=$(summary_count "$DIR/fmt_f5.out" experiment_cycle)
		frow "F5 experiment profile $(calc "sprintf(\"%.1f\", $bytes / 1e6)") MB: cycles" \
			"${cyc:-?}" "$F_CYCLES" "$([ "$cyc" = "$F_CYCLES" ] && echo info || echo FAIL)"
		frow "F5 experiment profile: elapsed (s)" "$E" "-" "info"
		frow "F5 experiment profile: MB/s" \
			"$(calc "sprintf(\"%.1f\", $bytes / 1e6 / ($E > 0 ? $E : 0.01))")" "-" "info"
		frow "F5 experiment profile: peak RSS (KB)" "$M" "<= $RSS_LIMIT" \
			"$(verdict "$M <= $RSS_LIMIT")"
	else
		frow "F5 experiment profile" "exit $RC" "-" "FAIL"
	fi
	rm_db "$DIR/fmt.db"

	# (c) the mixed tree: first ingest (one run), then unchanged re-ingests
	read -r T_PLAIN T_ARCH T_DISK < "$FDIR/tree.sizes"
	T_BYTES=$((T_PLAIN + T_ARCH))
	rm_db "$DIR/tree.db"
	measure tree "$DIR/tree.out" "$BIN/perfingest" --db "$DIR/tree.db" "$FDIR/tree/"
	if check tree "$RC" "0 1"; then
		T_E=$E
		recs=$(summary_new "$DIR/tree.out")
		frow "mixed tree: MB (uncompressed / on disk)" \
			"$(calc "sprintf(\"%.0f/%.0f\", $T_BYTES / 1e6, $T_DISK / 1e6)")" "-" "info"
		frow "mixed tree: % of bytes inside archives" \
			"$(calc "sprintf(\"%.1f%%\", 100 * $T_ARCH / $T_BYTES)")" "~50%" "info"
		frow "mixed tree first ingest: new records" "${recs:-?}" "-" "info"
		frow "mixed tree first ingest: elapsed (s)" "$E" "-" "info"
		rate=$(calc "sprintf(\"%.0f\", ${recs:-0} / ($E > 0 ? $E : 0.01))")
		frow "mixed tree first ingest: records/s" "$rate" ">= $RATE_TARGET" \
			"$(verdict "$rate >= $RATE_TARGET")"
		frow "mixed tree first ingest: MB/s (uncompressed)" \
			"$(calc "sprintf(\"%.1f\", $T_BYTES / 1e6 / ($E > 0 ? $E : 0.01))")" "-" "info"
		frow "mixed tree first ingest: peak RSS (KB)" "$M" "<= $RSS_LIMIT" \
			"$(verdict "$M <= $RSS_LIMIT")"
		rej=$(awk '$1 == "rejected" { print $3 }' "$DIR/tree.out")
		frow "mixed tree first ingest: rejected lines" "${rej:-?}" "0" \
			"$(verdict "${rej:-1} == 0")"
		measure_rep : "0 1" tree_re "$DIR/tree_re.out" "$BIN/perfingest" --db "$DIR/tree.db" \
			"$FDIR/tree/"
		if check tree_re "$RC" "0 1"; then
			pct=$(calc "100 * $E / ($T_E > 0 ? $T_E : 0.01)")
			again=$(summary_new "$DIR/tree_re.out")
			frow "mixed tree unchanged re-ingest: elapsed (s)" "$E" "-" "info"
			frow "mixed tree unchanged re-ingest: new records" "${again:-?}" "0" \
				"$(verdict "${again:-1} == 0")"
			frow "mixed tree unchanged re-ingest: % of first" \
				"$(calc "sprintf(\"%.2f%%\", $pct)")" "< ${REINGEST_PCT}%" \
				"$(verdict "$pct < $REINGEST_PCT")"
		else
			frow "mixed tree unchanged re-ingest" "exit $RC" "-" "FAIL"
		fi
	else
		frow "mixed tree first ingest" "exit $RC" "-" "FAIL"
	fi
	rm_db "$DIR/tree.db"
else
	fskip "line formats, F5 profile, mixed tree" "-"
fi

fmt_print() {
	echo
	if [ "$QUICK" = 1 ]; then
		size="QUICK=1: smaller corpora: $F_RECORDS records per line format, mixed tree 1/$F_DIV of 1 GB"
	else
		size="$F_RECORDS records per line format, mixed tree about 1 GB"
	fi
	echo "perfkit bench, formats: $size; F5: $F_CYCLES cycles (about 50 MB); corpora in $FDIR;" \
		"load average at start: $F_LOAD0, at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	echo "line formats and F5: median of $REPEAT runs (fresh db each run); mixed tree first" \
		"ingest: one run, re-ingest: median of $REPEAT; peak RSS: largest of the runs"
	printf '%-52s %12s  %-14s %s\n' "figure" "value" "target" "result"
	printf '%s' "$FROWS"
}
