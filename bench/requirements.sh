#!/bin/sh
# requirements.sh BIN_DIR - the requirements-report table of `make bench`
# (bench/run.sh calls it last): perfreport --requirements over four profiles
# with a year of minute samples each (bench/gen_corpus.c, 525,600 lines a
# profile), as Markdown and as HTML with real gnuplot charts, against the
# issue's target of 5 s; and the HTML's size, which must not grow with the
# data (charts are reduced: at most 1,500 points a profile a scatter chart).
#
# Data: $PERFKIT_BENCH_DIR/requirements/ (corpus, a small registry giving each
# profile a latency target, and the database are kept and
# reused while the parameters and gen_corpus.c are unchanged).
# Environment: PERFKIT_BENCH_DIR (default /tmp/perfkit-bench);
# PERFKIT_BENCH_REPEAT (default 3; PERFKIT_BENCH_QUICK=1: 1): runs per
# figure, the median is reported; PERFKIT_BENCH_REQUIREMENTS=0 skips it.
# Exits 0 when a target is missed (it is a report); 1 when a command failed.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: sh bench/requirements.sh BIN_DIR   (BIN_DIR holds perfingest, perfreport)" >&2
	exit 2
fi
case $1 in
/*) BIN=$1 ;;
*) BIN=$(pwd)/$1 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${PERFKIT_BENCH_DIR:-/tmp/perfkit-bench}/requirements
if [ "${PERFKIT_BENCH_QUICK:-0}" = 1 ]; then
	REPEAT=${PERFKIT_BENCH_REPEAT:-1}
else
	REPEAT=${PERFKIT_BENCH_REPEAT:-3}
fi
CC=${CC:-cc}
TIME=/usr/bin/time
END=1765670400
YEAR=525600
# name:minutes:cores:latency_ms:seed - four machines, slowest first
SPECS="req_a:$YEAR:4:2200:11 req_b:$YEAR:8:1400:12 req_c:$YEAR:16:700:13 req_d:$YEAR:32:450:14"
TARGET_S=5
HTML_LIMIT=2000000

note() { printf '%s\n' "bench: $*" >&2; }
if [ "${PERFKIT_BENCH_REQUIREMENTS:-1}" = 0 ]; then
	echo
	echo "perfkit bench, requirements report: skipped (PERFKIT_BENCH_REQUIREMENTS=0)"
	exit 0
fi
for t in "$TIME" "$BIN/perfingest" "$BIN/perfreport"; do
	[ -x "$t" ] || { note "$t not found (make build / make bench-deps)"; exit 1; }
done
mkdir -p "$DIR"

stamp="v2 end=$END specs=$SPECS gen=$(cksum < "$HERE/gen_corpus.c")"
if [ -f "$DIR/params" ] && [ "$(cat "$DIR/params")" = "$stamp" ] && [ -s "$DIR/req.db" ]; then
	note "reusing $DIR/req.db"
else
	note "generating $DIR/corpus and $DIR/req.db (four profiles, a year each)"
	rm -rf "$DIR/corpus" "$DIR/params" "$DIR/req.db" "$DIR/req.db-wal" "$DIR/req.db-shm"
	mkdir -p "$DIR/corpus"
	$CC -std=c11 -O2 -o "$DIR/gen_corpus" "$HERE/gen_corpus.c" -lm
	for spec in $SPECS; do
		IFS=: read -r name mins cores lat seed <<SPEC
$spec
SPEC
		"$DIR/gen_corpus" "$DIR/corpus/hardware_profile_$name.jsonl" "$name" "$END" \
			"$mins" "$cores" "$lat" "$seed"
	done
	# a registry with a latency target for each, so that the tiers are decided
	{
		echo '{"profiles": {'
		sep=""
		for spec in $SPECS; do
			name=${spec%%:*}
			printf '%s"%s": {"hardware": {"gpu": {"memory_gb": 8}, "memory": {"total_gb": 32}},' \
				"$sep" "$name"
			printf ' "performance_targets": {"whisper_latency_ms": {"target": 1000,'
			printf ' "acceptable_max": 2500}}}\n'
			sep=","
		done
		echo '}}'
	} > "$DIR/corpus/hardware_profiles.json"
	set +e
	"$BIN/perfingest" --db "$DIR/req.db" "$DIR/corpus/" > "$DIR/ingest.out" 2>&1
	rc=$?
	set -e
	[ "$rc" -le 1 ] || { note "perfingest failed (exit $rc): $DIR/ingest.out"; exit 1; }
	printf '%s\n' "$stamp" > "$DIR/params"
fi

# median of REPEAT elapsed seconds of: perfreport ... --output OUT
run() {
	out=$1
	i=0
	: > "$DIR/times"
	while [ $i -lt "$REPEAT" ]; do
		$TIME -f '%e' -o "$DIR/time.one" "$BIN/perfreport" --db "$DIR/req.db" \
			--requirements --output "$DIR/$out" > /dev/null 2> "$DIR/report.err" ||
			{ note "perfreport failed: $DIR/report.err"; exit 1; }
		tail -n 1 "$DIR/time.one" >> "$DIR/times"
		i=$((i + 1))
	done
	sort -n "$DIR/times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }

md_s=$(run r.md)
html_s=$(run r.html)
size=$(wc -c < "$DIR/r.html")
echo
echo "perfkit bench, requirements report: 4 profiles x $YEAR minute samples in $DIR/req.db;" \
	"median of $REPEAT runs; $(nproc 2>/dev/null || echo '?') CPUs, load average" \
	"$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf '%-52s %12s  %-14s %s\n' "figure" "value" "target" "result"
printf '%-52s %12s  %-14s %s\n' "perfreport --requirements, Markdown + charts (s)" "$md_s" \
	"< $TARGET_S" "$(verdict "$md_s < $TARGET_S")"
printf '%-52s %12s  %-14s %s\n' "perfreport --requirements, HTML + charts (s)" "$html_s" \
	"< $TARGET_S" "$(verdict "$html_s < $TARGET_S")"
printf '%-52s %12s  %-14s %s\n' "requirements HTML size (bytes)" "$size" "<= $HTML_LIMIT" \
	"$(verdict "$size <= $HTML_LIMIT")"
