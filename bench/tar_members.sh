#!/bin/sh
# tar_members.sh BIN_DIR - the many-small-members table of `make bench`
# (bench/run.sh calls it; it prints its own table): tars of 10,000 and
# 100,000 one-line F1 members (bench/gen_tar_members.py), each ingested into
# a fresh database (median of PERFKIT_BENCH_REPEAT runs, default 3), then
# ingested again unchanged (skipped whole).  Target: at most 100 us a member
# (100,000 members in 10 s; one transaction and one thread per member took
# about 400 us before).  Exits 0 when a target is missed (it is a report),
# 1 when a command failed.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: sh bench/tar_members.sh BIN_DIR   (BIN_DIR holds perfingest)" >&2
	exit 2
fi
case $1 in
/*) BIN=$1 ;;
*) BIN=$(pwd)/$1 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${PERFKIT_BENCH_DIR:-/tmp/perfkit-bench}/tar
REPEAT=${PERFKIT_BENCH_REPEAT:-3}
TIME=/usr/bin/time
US_TARGET=100
mkdir -p "$DIR"

rows=""
row() { rows="$rows$(printf '%-52s %12s  %-14s %s' "$1" "$2" "$3" "$4")
"; }

for n in 10000 100000; do
	tar=$DIR/members_$n.tar
	stamp="v1 n=$n gen=$(cksum < "$HERE/gen_tar_members.py")"
	if [ ! -f "$tar" ] || [ "$(cat "$tar.params" 2>/dev/null)" != "$stamp" ]; then
		python3 "$HERE/gen_tar_members.py" "$n" "$tar.tmp"
		mv "$tar.tmp" "$tar"
		printf '%s\n' "$stamp" > "$tar.params"
	fi
	es="" rss=0
	i=0
	while [ $i -lt "$REPEAT" ]; do
		rm -f "$DIR/t.db" "$DIR/t.db-wal" "$DIR/t.db-shm"
		$TIME -f '%e %M' -o "$DIR/time" "$BIN/perfingest" --db "$DIR/t.db" "$tar" >/dev/null
		set -- $(cat "$DIR/time")
		es="$es $1"
		[ "$2" -gt "$rss" ] && rss=$2
		i=$((i + 1))
	done
	e=$(printf '%s\n' $es | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	stored=$(sqlite3 "$DIR/t.db" "SELECT count(*) FROM hw_sample")
	if [ "$stored" != "$n" ]; then
		echo "tar_members: $n members, $stored samples stored" >&2
		exit 1
	fi
	us=$(awk "BEGIN { printf \"%.0f\", $e * 1e6 / $n }")
	verdict=PASS
	[ "$us" -le "$US_TARGET" ] || verdict=FAIL
	row "tar of $n one-line members: first ingest, s" "$e" "-" "info"
	row "tar of $n one-line members: us per member" "$us" "<= $US_TARGET" "$verdict"
	row "tar of $n one-line members: peak RSS, MB" "$((rss / 1024))" "-" "info"
	$TIME -f '%e' -o "$DIR/time" "$BIN/perfingest" --db "$DIR/t.db" "$tar" >/dev/null
	row "tar of $n one-line members: unchanged again, s" "$(cat "$DIR/time")" "-" "info"
done
rm -f "$DIR/t.db" "$DIR/t.db-wal" "$DIR/t.db-shm" "$DIR/time"

echo
echo "perfkit bench, many small members (median of $REPEAT runs, fresh database each;" \
	"load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))"
printf '%-52s %12s  %-14s %s\n' "figure" "value" "target" "result"
printf '%s' "$rows"
