#!/bin/sh
# record-fixtures-real.sh - records real sysstat and hyperfine output on this
# machine as test fixtures (make fixtures-real): a 5-sample sadc data file
# exported by sadf in the shapes users send (UTC, local -t, -T, -A, -s/-e
# window, -u, restarts and comments, a same-second statistic), iostat/mpstat
# -o JSON, and hyperfine exports (a plain run, a parameter scan, one file per
# command), and hyperfine histories: parameter scans whose values differ in
# set and order between runs, all named alike with -n (series by parameter
# value), and two runs of one command written to files of the same name
# (distinct runs by content).  The recorded files are committed;
# tests read them, they never re-record.
set -eu
out=${1:-tests/fixtures}
sa="$out/sysstat-real"
hf="$out/hyperfine-real"
hh="$out/hyperfine-history-real"
mkdir -p "$sa" "$hf" "$hh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/lib/sysstat/sadc -S XALL 1 5 "$tmp/sa"
cp "$tmp/sa" "$sa/sa.data"
sadf -j "$tmp/sa" -- -u > "$sa/sadf-u.json"
sadf -j "$tmp/sa" -- -A > "$sa/sadf-A.json"
TZ=America/New_York sadf -j -t "$tmp/sa" -- -u -r -q > "$sa/sadf-t-local.json"
TZ=America/New_York sadf -j -T "$tmp/sa" -- -u > "$sa/sadf-T-local.json"
# a window past the recording: sadf writes an empty statistic {}
sadf -j -s 00:00:00 -e 00:00:01 "$tmp/sa" -- -u > "$sa/sadf-se-empty.json"
sadf -j "$tmp/sa" -- -u -r -q -d -n DEV > "$sa/sadf-default.json"
# a comment (sadc -C) and a restart (sadc without interval, as sa1 --boot)
# between two recordings into one file, exported -u and -A with -C (sadf
# shows comments with -C only)
sadc=/usr/lib/sysstat/sadc
$sadc -S XALL 1 3 "$tmp/rc" && $sadc -C 'backup started' "$tmp/rc" && $sadc "$tmp/rc"
$sadc -S XALL 1 3 "$tmp/rc"
sadf -C -j "$tmp/rc" -- -u > "$sa/sadf-restart-comment-u.json"
sadf -C -j "$tmp/rc" -- -A > "$sa/sadf-restart-comment-A.json"
# sadc -C right after a sample writes a second statistic at the same second
# with other values (interval 0); sadf 12.6 writes a comment's quotes
# unescaped, so -C output with one is not JSON
$sadc -S XALL 1 2 "$tmp/sc" && $sadc -C 'backup started; "quoted" <b>x</b>' "$tmp/sc"
$sadc -S XALL 1 2 "$tmp/sc"
sadf -j "$tmp/sc" -- -u > "$sa/sadf-same-instant.json"
sadf -C -j "$tmp/sc" -- -u > "$sa/sadf-comment-unescaped.json"
iostat -o JSON 1 2 > "$sa/iostat.json"
mpstat -o JSON 1 2 > "$sa/mpstat.json"
hyperfine --runs 3 --export-json "$hf/hyperfine-sleep.json" 'sleep 0.01' >/dev/null
hyperfine --runs 3 --parameter-scan ms 10 30 -D 10 \
	--export-json "$hf/hyperfine-scan.json" 'sleep 0.0{ms}' >/dev/null
hyperfine --runs 3 --export-json "$hf/ci-run-1.json" 'sleep 0.01' >/dev/null
hyperfine --runs 3 --export-json "$hf/ci-run-2.json" 'sleep 0.02' >/dev/null
# a command with a tab and a newline (a multi-line shell script)
hyperfine --runs 2 --export-json "$hf/hyperfine-multiline.json" "$(printf 'sleep 0.01\n\ttrue')" >/dev/null
hyperfine --runs 3 --parameter-scan n 1 3 \
	--export-json "$hh/scan-plain.json" 'sleep 0.0{n}' >/dev/null
hyperfine --runs 3 --parameter-scan n 1 3 -n sleep \
	--export-json "$hh/scan-named-1.json" 'sleep 0.0{n}' >/dev/null
hyperfine --runs 3 --parameter-list n 3,1 -n sleep \
	--export-json "$hh/scan-named-2.json" 'sleep 0.0{n}' >/dev/null
hyperfine --runs 3 --parameter-list n 2,3,1 -n sleep \
	--export-json "$hh/scan-named-3.json" 'sleep 0.0{n}' >/dev/null
hyperfine --runs 3 --export-json "$hh/same-name-a.json" 'sleep 0.01' >/dev/null
hyperfine --runs 3 --export-json "$hh/same-name-b.json" 'sleep 0.01' >/dev/null
echo "record-fixtures-real: wrote $sa, $hf and $hh"
