#!/bin/sh
# check-browser.sh BIN OUTDIR - make check-browser: writes every kind of
# HTML report perfreport makes from the repository's fixtures, renders each
# in headless Chromium and fails on console messages (Chromium logs them as
# CONSOLE), on requests the page made to anything but file: and data: URLs
# (Chromium's net log; host names do not resolve), on external references
# in the HTML (http:, https:, ftp:, // in attributes and CSS url(), @import)
# and on elements that load anything (img, image, iframe, object, embed,
# script, link): every chart must be an inline <svg>, so no image can be
# broken.  Saves OUTDIR/NAME.png
# screenshots and OUTDIR/NAME.html.  Skipped, with a message and status 0,
# when Chromium is not installed (`make browser-deps` installs Debian's).
set -u
BIN=${1:?usage: check-browser.sh BIN OUTDIR}
OUT=${2:?usage: check-browser.sh BIN OUTDIR}
REPO=$(cd "$(dirname "$0")/.." && pwd)
CHROMIUM=${CHROMIUM:-}
for c in chromium chromium-browser google-chrome; do
	[ -n "$CHROMIUM" ] && break
	command -v "$c" >/dev/null 2>&1 && CHROMIUM=$c
done
if [ -z "$CHROMIUM" ]; then
	echo "check-browser: skipped: Chromium is not installed (make browser-deps installs it)"
	exit 0
fi
export SOURCE_DATE_EPOCH=1765670400 TZ=UTC LC_ALL=C
rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
OUT=$(cd "$OUT" && pwd)
db="$OUT/reports.db"
"$BIN/perfingest" --db "$db" "$REPO/samples/logs" \
	"$REPO/tests/fixtures/experiment_stats" "$REPO/tests/fixtures/experiment/small.json" \
	"$REPO/tests/fixtures/experiment/hostile_shapes.json" >/dev/null 2>&1
# F6 sessions are recognised under perf/samples/
mkdir -p "$OUT/perf/samples"
cp "$REPO/tests/fixtures/session/demo_session_001.json" "$REPO/tests/fixtures/session/hostile.json" \
	"$OUT/perf/samples/"
"$BIN/perfingest" --db "$db" "$OUT/perf" >/dev/null 2>&1
H="$REPO/tests/fixtures/regress/history"
for d in 01 02 03 04 05 06 07 08 09 10 11 12; do
	"$BIN/perfingest" --db "$db" --run-time 2025-12-${d}T02:00:00Z "$H/day$d/build.json" >/dev/null 2>&1
done
"$BIN/perfingest" --db "$db" "$H"/ingest-day*.json >/dev/null 2>&1
cp "$REPO/tests/fixtures/quality/hardware_profile_hot.jsonl" "$OUT/"
"$BIN/perfingest" --db "$db" "$OUT/hardware_profile_hot.jsonl" >/dev/null 2>&1
# the registry and the demo's links, for the requirements report
"$BIN/perfingest" --db "$db" "$REPO/samples/week/hardware_profiles.json" \
	"$REPO/samples/week/wake_word_audit.csv" "$REPO/samples/week/agent_metrics.csv" >/dev/null 2>&1
"$BIN/perfingest" --db "$db" --alias laptop_mx150=desktop_m965jsc_entry \
	--alias desktop_rtx3070=desktop_home_target >/dev/null 2>&1
# generic sources that are no machine: a frame pipeline (JSONL against
# CSV) and paths with markup, quotes and backquotes on both sides
G="$REPO/tests/fixtures/generic_pipeline"
"$BIN/perfingest" --db "$db" --format generic --source pipe_a "$G/frames_a.jsonl" >/dev/null 2>&1
"$BIN/perfingest" --db "$db" --format generic --source pipe_b "$G/frames_b.csv" >/dev/null 2>&1
for s in a b; do
	cp "$G/hostile_paths.jsonl" "$OUT/hostile_paths_$s.jsonl"
	"$BIN/perfingest" --db "$db" --format generic --source "paths<i>$s" \
		"$OUT/hostile_paths_$s.jsonl" >/dev/null 2>&1
done
fail=0
report() { # NAME perfreport-options...
	name=$1
	shift
	if ! "$BIN/perfreport" --db "$db" "$@" --output "$OUT/$name.html" 2>"$OUT/$name.err"; then
		echo "FAIL $name: perfreport: $(cat "$OUT/$name.err")"
		fail=1
		return
	fi
	check "$name"
}
check() { # NAME: scan the page, then render it
	name=$1
	page="$OUT/$name.html"
	ext=$(grep -Eio "(src|href|action|poster)[[:space:]]*=[[:space:]]*[\"']?[[:space:]]*(https?:|ftp:|//)[^\"' >]*|url\([[:space:]]*[\"']?[[:space:]]*(https?:|ftp:|//)[^)]*\)|@import" "$page" | head -5)
	if [ -n "$ext" ]; then
		echo "FAIL $name: external references: $ext"
		fail=1
	fi
	img=$(grep -Eio "<(img|image|iframe|object|embed|script|link)[^>]*>" "$page" | head -5)
	if [ -n "$img" ]; then
		echo "FAIL $name: elements that load something: $img"
		fail=1
	fi
	figs=$(grep -o '<figure class="chart">' "$page" | wc -l)
	svgs=$(grep -o '<svg' "$page" | wc -l)
	if [ "$svgs" -lt "$figs" ]; then
		echo "FAIL $name: $figs figures but $svgs inline charts"
		fail=1
	fi
	prof=$(mktemp -d)
	# --host-resolver-rules: any attempt to reach a host fails and is logged
	timeout 60 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --no-first-run \
		--user-data-dir="$prof" --host-resolver-rules="MAP * ~NOTFOUND" \
		--enable-logging=stderr --v=0 --log-net-log="$OUT/$name.netlog" \
		--hide-scrollbars --window-size=1200,5000 \
		--screenshot="$OUT/$name.png" "file://$page" >"$OUT/$name.log" 2>&1
	rc=$?
	rm -rf "$prof"
	if [ $rc != 0 ] || [ ! -s "$OUT/$name.png" ]; then
		echo "FAIL $name: chromium exited $rc without a screenshot (see $OUT/$name.log)"
		fail=1
		return
	fi
	bad=$(grep -E "CONSOLE|Uncaught|ERR_NAME_NOT_RESOLVED|net::ERR|Failed to load|Refused to" "$OUT/$name.log" | head -5)
	if [ -n "$bad" ]; then
		echo "FAIL $name: the browser reported: $bad"
		fail=1
		return
	fi
	# requests the page made (its network isolation key is the file:// page)
	req=$(grep 'network_isolation_key":"file://' "$OUT/$name.netlog" |
	      grep -o '"url":"[^"]*"' | grep -v '"url":"\(file\|data\):' | sort -u | head -5)
	if [ -n "$req" ]; then
		echo "FAIL $name: the page requested: $req"
		fail=1
		return
	fi
	echo "ok   $name ($figs charts; screenshot $OUT/$name.png)"
}
report compare --compare laptop_mx150 desktop_rtx3070 --hours 168
report compare-generic --compare pipe_a pipe_b --hours 0.0014
report compare-generic-hostile --compare 'paths<i>a' 'paths<i>b' --hours 0.002
report requirements --requirements
report experiment --experiment exp_leak
report experiments --experiments exp_leak exp_1734134400_0005 exp_1734134400_0001
hostile=$("$BIN/perfanalyze" --db "$db" --list --format csv 2>/dev/null | grep -i hostile | head -1 | cut -d, -f2)
[ -n "$hostile" ] && report experiment-hostile --experiment "$hostile"
report regressions --regressions
report throttling --throttling hot
report session --session demo_session_001
report session-hostile --session 's<script>alert(1)</script>'
# perfreport --all: the index (its links are checked: each must name a
# report the batch wrote in the same folder)
mkdir -p "$OUT/all"
if "$BIN/perfreport" --db "$db" --all --outdir "$OUT/all" >"$OUT/all.out" 2>"$OUT/all.err"; then
	cp "$OUT/all/index.html" "$OUT/index.html"
	for f in $(grep -o 'href="[^"#]*"' "$OUT/index.html" | sed 's/^href="//; s/"$//'); do
		[ -f "$OUT/all/$f" ] || { echo "FAIL index: a link to $f, which is not there"; fail=1; }
	done
	check index
else
	echo "FAIL index: perfreport --all: $(cat "$OUT/all.err")"
	fail=1
fi
[ $fail = 0 ] && echo "check-browser: every report renders cleanly; look at the screenshots in $OUT"
exit $fail
