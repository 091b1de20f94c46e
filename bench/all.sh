#!/bin/sh
# all.sh BIN_DIR - the batch table of `make bench` (bench/run.sh calls it
# after the requirements report): perfreport --all over 100 experiments of
# 300 cycles each (tests/fixtures/experiment/make_experiment.py, seeds
# 1..100) as HTML with real gnuplot charts, against the issue's target of
# 30 s; then the same command again (every report kept) and after one
# experiment's file was touched and re-read (that report alone rewritten).
#
# Data: $PERFKIT_BENCH_DIR/all/ (the profiles and the database are kept and
# reused while the parameters and make_experiment.py are unchanged).
# Environment: PERFKIT_BENCH_DIR (default /tmp/perfkit-bench);
# PERFKIT_BENCH_REPEAT (default 3; PERFKIT_BENCH_QUICK=1: 1): runs per
# figure, the median is reported; PERFKIT_BENCH_ALL=0 skips it.
# Exits 0 when a target is missed (it is a report); 1 when a command failed.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: sh bench/all.sh BIN_DIR   (BIN_DIR holds perfingest, perfreport)" >&2
	exit 2
fi
case $1 in
/*) BIN=$1 ;;
*) BIN=$(pwd)/$1 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
GEN=$HERE/../tests/fixtures/experiment/make_experiment.py
DIR=${PERFKIT_BENCH_DIR:-/tmp/perfkit-bench}/all
if [ "${PERFKIT_BENCH_QUICK:-0}" = 1 ]; then
	REPEAT=${PERFKIT_BENCH_REPEAT:-1}
else
	REPEAT=${PERFKIT_BENCH_REPEAT:-3}
fi
TIME=/usr/bin/time
EXPERIMENTS=100
CYCLES=300
TARGET_S=30

note() { printf '%s\n' "bench: $*" >&2; }
if [ "${PERFKIT_BENCH_ALL:-1}" = 0 ]; then
	echo
	echo "perfkit bench, perfreport --all: skipped (PERFKIT_BENCH_ALL=0)"
	exit 0
fi
for t in "$TIME" "$BIN/perfingest" "$BIN/perfreport"; do
	[ -x "$t" ] || { note "$t not found (make build / make bench-deps)"; exit 1; }
done
mkdir -p "$DIR"

stamp="v1 experiments=$EXPERIMENTS cycles=$CYCLES gen=$(cksum < "$GEN")"
if [ -f "$DIR/params" ] && [ "$(cat "$DIR/params")" = "$stamp" ] && [ -s "$DIR/all.db" ]; then
	note "reusing $DIR/all.db"
else
	note "generating $EXPERIMENTS experiments of $CYCLES cycles and $DIR/all.db"
	rm -rf "$DIR/profiles" "$DIR/params" "$DIR/all.db" "$DIR/all.db-wal" "$DIR/all.db-shm"
	mkdir -p "$DIR/profiles"
	i=1
	while [ $i -le $EXPERIMENTS ]; do
		python3 "$GEN" --cycles $CYCLES --seed $i --out "$DIR/profiles/exp_$i.json"
		i=$((i + 1))
	done
	set +e
	"$BIN/perfingest" --db "$DIR/all.db" "$DIR/profiles/" > "$DIR/ingest.out" 2>&1
	rc=$?
	set -e
	[ "$rc" -le 1 ] || { note "perfingest failed (exit $rc): $DIR/ingest.out"; exit 1; }
	printf '%s\n' "$stamp" > "$DIR/params"
fi

# one perfreport --all into $DIR/out; its elapsed seconds appended to $DIR/times
one() {
	$TIME -f '%e' -o "$DIR/time.one" "$BIN/perfreport" --db "$DIR/all.db" --all \
		--outdir "$DIR/out" > "$DIR/report.out" 2> "$DIR/report.err" ||
		{ note "perfreport --all failed: $DIR/report.err"; exit 1; }
	tail -n 1 "$DIR/time.one" >> "$DIR/times"
}
median() { sort -n "$DIR/times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }

# every report written: from an empty folder each time
: > "$DIR/times"
i=0
while [ $i -lt "$REPEAT" ]; do
	rm -rf "$DIR/out"
	mkdir "$DIR/out"
	one
	i=$((i + 1))
done
first_s=$(median)
written=$(tail -n 1 "$DIR/report.out")
size=$(du -sk "$DIR/out" | cut -f1)
index=$(wc -c < "$DIR/out/index.html")
# nothing changed: every report kept
: > "$DIR/times"
i=0
while [ $i -lt "$REPEAT" ]; do
	one
	i=$((i + 1))
done
kept_s=$(median)
kept=$(tail -n 1 "$DIR/report.out")
# one experiment's file touched and re-read
: > "$DIR/times"
touch "$DIR/profiles/exp_1.json"
"$BIN/perfingest" --db "$DIR/all.db" "$DIR/profiles/exp_1.json" > /dev/null 2>&1 || true
one
one_s=$(median)
one_line=$(tail -n 1 "$DIR/report.out")

echo
echo "perfkit bench, perfreport --all: $EXPERIMENTS experiments x $CYCLES cycles in" \
	"$DIR/all.db, HTML with gnuplot charts; median of $REPEAT runs;" \
	"$(nproc 2>/dev/null || echo '?') CPUs, load average" \
	"$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf '%-52s %12s  %-14s %s\n' "figure" "value" "target" "result"
printf '%-52s %12s  %-14s %s\n' "--all, every report written (s)" "$first_s" \
	"< $TARGET_S" "$(verdict "$first_s < $TARGET_S")"
printf '%-52s %12s\n' "--all again, inputs unchanged (s)" "$kept_s"
printf '%-52s %12s\n' "--all after one experiment's file changed (s)" "$one_s"
printf '%-52s %12s\n' "the folder (KB)" "$size"
printf '%-52s %12s\n' "index.html (bytes)" "$index"
echo "first: $written"
echo "again: $kept"
echo "one changed: $one_line"
