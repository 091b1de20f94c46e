#!/bin/sh
# peers.sh BIN_DIR - the speed-and-size table of `make bench` (bench/run.sh
# calls it after building the corpus; it prints its own table):
#   1. perfingest side by side with DuckDB (CREATE TABLE s AS SELECT * FROM
#      read_json_auto(...), through @duckdb/node-api installed with npm into
#      $BUILD_BENCH/node_modules) on 200,000 and 1,051,200 F1 lines: the runs
#      alternate (perfingest, DuckDB, perfingest, ...), each into a fresh
#      database, and the median elapsed of each is compared; file sizes after.
#   2. perfingest's writer thread against a bare SQLite insert of the same rows
#      (bench/bare_insert.c): instructions counted by callgrind on 20,000
#      lines (the writer is perfingest's main thread; the parser is thread 2),
#      and by the clock on 200,000 lines (perfingest's whole elapsed against
#      the insert's, alternating).
#   3. appending to a grown file: 100,000 lines ingested, then the file grows
#      by 100,000 more and is ingested again; elapsed of the second run over
#      the first (same number of lines), runs alternating, medians.
#   4. perfanalyze --list and --analyze P --hours 1 on a year per profile:
#      elapsed and RSS, instructions (callgrind), and --help's elapsed as the
#      cost of starting a process under the load of the moment.
#
# Environment: PERFKIT_BENCH_DIR (default /tmp/perfkit-bench) holds the corpus
# (made by run.sh) and the databases; PERFKIT_BENCH_REPEAT (default 3) rounds;
# PERFKIT_BENCH_BUILD (default build/bench beside the tools) holds the npm
# install; PERFKIT_BENCH_CALLGRIND=0 skips part 2.  Exits 0 when a target is
# missed (it is a report), 1 when a command failed.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: sh bench/peers.sh BIN_DIR   (BIN_DIR holds perfingest, perfanalyze)" >&2
	exit 2
fi
case $1 in
/*) BIN=$1 ;;
*) BIN=$(pwd)/$1 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${PERFKIT_BENCH_DIR:-/tmp/perfkit-bench}
REPEAT=${PERFKIT_BENCH_REPEAT:-3}
NODE_DIR=${PERFKIT_BENCH_BUILD:-$(cd "$BIN/.." && pwd)/bench}
TIME=/usr/bin/time
CC=${CC:-cc}
failed=0
note() { printf '%s\n' "bench/peers: $*" >&2; }
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
rm_db() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal" "$1.wal"; }
size_of() { s=0; for f in "$1" "$1-wal" "$1.wal"; do [ -f "$f" ] && s=$((s + $(wc -c < "$f"))); done; echo "$s"; }
ROWS=""
row() { ROWS="$ROWS$(printf '%-52s %12s  %-14s %s' "$1" "$2" "$3" "$4")
"; }

# measure TAG CMD...: E (elapsed s), M (peak RSS KB), RC
# (sh has no local variables: each function's names are its own, m_ here)
measure() {
	m_tag=$1
	shift
	sync
	set +e
	"$TIME" -f '%e %M' -o "$DIR/$m_tag.time" "$@" > "$DIR/$m_tag.out" 2> "$DIR/$m_tag.log"
	RC=$?
	set -e
	last=$(tail -n 1 "$DIR/$m_tag.time")
	E=${last% *}
	M=${last#* }
	if [ "$RC" != 0 ] && [ "$RC" != 1 ]; then
		note "$m_tag failed (exit $RC); see $DIR/$m_tag.log"
		failed=1
	fi
}

CORPUS=$DIR/corpus
A=$CORPUS/hardware_profile_bench_a.jsonl
if [ ! -s "$A" ]; then
	note "no corpus in $CORPUS (bench/run.sh makes it)"
	exit 1
fi

# --- DuckDB, installed bench-locally ------------------------------------------
HAVE_DUCK=0
if command -v node > /dev/null 2>&1 && command -v npm > /dev/null 2>&1; then
	if [ ! -d "$NODE_DIR/node_modules/@duckdb/node-api" ]; then
		note "installing @duckdb/node-api into $NODE_DIR (npm)"
		mkdir -p "$NODE_DIR"
		(cd "$NODE_DIR" && npm install --no-audit --no-fund --silent @duckdb/node-api >&2) ||
			note "npm install failed"
	fi
	# ESM resolves packages from the script's folder: run a copy beside node_modules
	cp "$HERE/duckdb_load.mjs" "$NODE_DIR/duckdb_load.mjs"
	[ -d "$NODE_DIR/node_modules/@duckdb/node-api" ] && HAVE_DUCK=1
else
	note "node/npm not found (make bench-deps installs nodejs and npm)"
fi
[ "$HAVE_DUCK" = 1 ] || failed=1

# --- 1. side by side -----------------------------------------------------------
mkdir -p "$DIR/peer200k"
P200=$DIR/peer200k/hardware_profile_bench_a.jsonl
if [ ! -s "$P200" ] || [ "$P200" -ot "$A" ]; then
	head -n 200000 "$A" > "$P200.tmp" && mv "$P200.tmp" "$P200"
fi

# side TAG LINES INPUT...: alternating rounds, medians, sizes
side() {
	s_tag=$1
	s_lines=$2
	shift 2
	pes="" des="" pm=0 dm=0
	k=0
	while [ "$k" -lt "$REPEAT" ]; do
		rm_db "$DIR/$s_tag.db"
		measure "pk_$s_tag" "$BIN/perfingest" --db "$DIR/$s_tag.db" "$@"
		pes="$pes $E"
		[ "$M" -gt "$pm" ] && pm=$M
		if [ "$HAVE_DUCK" = 1 ]; then
			rm_db "$DIR/$s_tag.duckdb"
			# shellcheck disable=SC2046
			measure "duck_$s_tag" node "$NODE_DIR/duckdb_load.mjs" "$DIR/$s_tag.duckdb" \
				$(for p in "$@"; do ls "$p"/*.jsonl 2>/dev/null || echo "$p"; done)
			des="$des $E"
			[ "$M" -gt "$dm" ] && dm=$M
		fi
		k=$((k + 1))
	done
	# shellcheck disable=SC2086
	pe=$(median $pes)
	psize=$(size_of "$DIR/$s_tag.db")
	row "perfingest $s_lines lines: elapsed (s), RSS $pm KB" "$pe" "-" "info"
	row "perfingest $s_lines lines: database (MB)" "$(calc "sprintf(\"%.1f\", $psize / 1e6)")" "-" "info"
	if [ "$HAVE_DUCK" = 1 ]; then
		# shellcheck disable=SC2086
		de=$(median $des)
		dsize=$(size_of "$DIR/$s_tag.duckdb")
		row "DuckDB $s_lines lines: elapsed (s), RSS $dm KB" "$de" "-" "info"
		row "DuckDB $s_lines lines: database (MB)" "$(calc "sprintf(\"%.1f\", $dsize / 1e6)")" "-" "info"
		row "DuckDB / perfingest elapsed, $s_lines lines" \
			"$(calc "sprintf(\"%.2fx\", $de / ($pe > 0 ? $pe : 0.01))")" "> 1x" \
			"$(verdict "$de > $pe")"
		row "perfingest / DuckDB database size, $s_lines lines" \
			"$(calc "sprintf(\"%.1fx\", $psize / $dsize)")" "<= 2x" \
			"$(verdict "$psize <= 2 * $dsize")"
	fi
	rm_db "$DIR/$s_tag.duckdb"
}
side s200k 200000 "$P200"
side s1m "$(cat "$A" "$CORPUS/hardware_profile_bench_b.jsonl" | wc -l)" "$CORPUS"
rm_db "$DIR/s200k.db"

# --- 2. writer thread vs a bare insert (instructions) ---------------------------
if [ "${PERFKIT_BENCH_CALLGRIND:-1}" = 0 ]; then
	row "writer thread / bare insert (instructions)" "-" "<= 1.3x" "SKIP"
elif ! command -v valgrind > /dev/null 2>&1; then
	note "valgrind not found (make bench-deps installs it)"
	failed=1
	row "writer thread / bare insert (instructions)" "-" "<= 1.3x" "SKIP"
else
	CG=$DIR/cg
	rm -rf "$CG"
	mkdir -p "$CG"
	head -n 20000 "$A" > "$CG/hardware_profile_bench_a.jsonl"
	$CC -std=c11 -D_GNU_SOURCE -O2 -o "$DIR/bare_insert" "$HERE/bare_insert.c" -lsqlite3
	valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$CG/pk.%p" \
		"$BIN/perfingest" --db "$CG/pk.db" "$CG/hardware_profile_bench_a.jsonl" \
		> /dev/null 2> "$CG/pk.log" || { note "callgrind perfingest failed"; failed=1; }
	valgrind --tool=callgrind --toggle-collect=insert_rows --callgrind-out-file="$CG/bare.out" \
		"$DIR/bare_insert" "$CG/pk.db" "$CG/bare.db" > /dev/null 2> "$CG/bare.log" ||
		{ note "callgrind bare_insert failed"; failed=1; }
	# thread 1 is the main thread: the writer (the parser runs on thread 2)
	w=$(cat "$CG"/pk.*-01 2>/dev/null | awk '/^(summary|totals):/ { print $2; exit }')
	b=$(awk '/^(summary|totals):/ { print $2; exit }' "$CG/bare.out" 2>/dev/null)
	if [ -n "$w" ] && [ -n "$b" ]; then
		row "writer thread, 20,000 lines (instructions)" "$w" "-" "info"
		row "bare SQLite insert, same rows (instructions)" "$b" "-" "info"
		row "writer thread / bare insert (instructions)" "$(calc "sprintf(\"%.2fx\", $w / $b)")" \
			"<= 1.3x" "$(verdict "$w <= 1.3 * $b")"
	else
		row "writer thread / bare insert (instructions)" "-" "<= 1.3x" "FAIL"
	fi
fi

# the same at 200,000 lines by the clock: perfingest's whole elapsed (its
# parser runs beside the writer) against bare_insert's insert, alternating
if [ -x "$DIR/bare_insert" ] || $CC -std=c11 -D_GNU_SOURCE -O2 -o "$DIR/bare_insert" \
	"$HERE/bare_insert.c" -lsqlite3; then
	wes="" bes=""
	k=0
	while [ "$k" -lt "$REPEAT" ]; do
		rm_db "$DIR/w200k.db"
		measure writer_200k "$BIN/perfingest" --db "$DIR/w200k.db" "$P200"
		wes="$wes $E"
		rm_db "$DIR/bare200k.db"
		measure bare_200k "$DIR/bare_insert" "$DIR/w200k.db" "$DIR/bare200k.db"
		bes="$bes $(awk '{ print $3; exit }' "$DIR/bare_200k.out")"
		k=$((k + 1))
	done
	# shellcheck disable=SC2086
	we=$(median $wes)
	# shellcheck disable=SC2086
	be=$(median $bes)
	row "perfingest 200000 lines, all of it: elapsed (s)" "$we" "-" "info"
	row "bare insert of its rows: elapsed (s)" "$be" "-" "info"
	row "perfingest / bare insert, by the clock" "$(calc "sprintf(\"%.2fx\", $we / ($be > 0 ? $be : 0.01))")" \
		"<= 1.3x" "$(verdict "$we <= 1.3 * $be")"
	rm_db "$DIR/w200k.db"
	rm_db "$DIR/bare200k.db"
fi

# --- 3. appending to a grown file ------------------------------------------------
G=$DIR/grow
mkdir -p "$G"
fes="" aes=""
k=0
while [ "$k" -lt "$REPEAT" ]; do
	rm_db "$G/g.db"
	head -n 100000 "$P200" > "$G/hardware_profile_bench_a.jsonl"
	measure grow_first "$BIN/perfingest" --db "$G/g.db" "$G/hardware_profile_bench_a.jsonl"
	fes="$fes $E"
	tail -n +100001 "$P200" >> "$G/hardware_profile_bench_a.jsonl"
	measure grow_append "$BIN/perfingest" --db "$G/g.db" "$G/hardware_profile_bench_a.jsonl"
	aes="$aes $E"
	k=$((k + 1))
done
# shellcheck disable=SC2086
fe=$(median $fes)
# shellcheck disable=SC2086
ae=$(median $aes)
row "first ingest, 100,000 lines: elapsed (s)" "$fe" "-" "info"
row "same file grown by 100,000 lines: elapsed (s)" "$ae" "-" "info"
row "append / first ingest, per line" "$(calc "sprintf(\"%.2fx\", $ae / ($fe > 0 ? $fe : 0.01))")" \
	"<= 1x" "$(verdict "$ae <= $fe")"
rm -rf "$G"

# --- 4. reading only what is needed ----------------------------------------------
DB=$DIR/s1m.db
for q in list hour; do
	es=""
	mm=0
	k=0
	while [ "$k" -lt "$REPEAT" ]; do
		if [ "$q" = list ]; then
			measure "q_$q" "$BIN/perfanalyze" --db "$DB" --list
		else
			measure "q_$q" "$BIN/perfanalyze" --db "$DB" --analyze bench_a --hours 1
		fi
		es="$es $E"
		[ "$M" -gt "$mm" ] && mm=$M
		k=$((k + 1))
	done
	# shellcheck disable=SC2086
	e=$(median $es)
	name="--list"
	[ "$q" = hour ] && name="--analyze bench_a --hours 1"
	row "perfanalyze $name: elapsed (s)" "$e" "< 0.05 s" "$(verdict "$e < 0.05")"
	row "perfanalyze $name: peak RSS (KB)" "$mm" "< 51200" "$(verdict "$mm < 51200")"
done
# what starting a process costs under the current load, for reading the two
# above; and their instruction counts, which the load does not change
es=""
k=0
while [ "$k" -lt "$REPEAT" ]; do
	measure q_help "$BIN/perfanalyze" --help
	es="$es $E"
	k=$((k + 1))
done
# shellcheck disable=SC2086
row "perfanalyze --help (process start): elapsed (s)" "$(median $es)" "-" "info"
if command -v valgrind > /dev/null 2>&1; then
	for q in list hour; do
		if [ "$q" = list ]; then
			set -- --list
		else
			set -- --analyze bench_a --hours 1
		fi
		valgrind --tool=callgrind --callgrind-out-file="$DIR/q_$q.cg" \
			"$BIN/perfanalyze" --db "$DB" "$@" > /dev/null 2>&1 || failed=1
		row "perfanalyze $*: instructions" \
			"$(awk '/^(summary|totals):/ { print $2; exit }' "$DIR/q_$q.cg")" "-" "info"
	done
fi
rm_db "$DB"

echo
echo "perfkit bench, speed and size against peers ($REPEAT alternating rounds, medians;" \
	"load average at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))"
printf '%-52s %12s  %-14s %s\n' "figure" "value" "target" "result"
printf '%s' "$ROWS"
exit "$failed"
