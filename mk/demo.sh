#!/bin/sh
# demo.sh BINDIR - what `make demo` runs after the build: loads samples/ (a
# week of two machines' logs in every format) into out/demo.db, links the two
# sampled machines to their registry entries, runs the analyses and writes the
# reports.  Each analysis is shown and kept in out/<name>.txt.
set -u
bin=$1
db=out/demo.db
mkdir -p out
rm -f "$db" "$db-wal" "$db-shm"

run() {   # run NAME CMD...: show the command, keep its output in out/NAME.txt
	name=$1; shift
	echo
	echo "\$ ${*#"$bin"/}"
	"$@" > "out/$name.txt" || { rc=$?; cat "out/$name.txt"; exit $rc; }
	cat "out/$name.txt"
	written="$written out/$name.txt"
}
written=""

echo "\$ perfingest --db $db samples/"
"$bin/perfingest" --db "$db" samples/; rc=$?
if [ $rc = 1 ]; then
	echo "demo: exit 1 as expected: the lines above are the samples' deliberate bad lines (samples/README.md, samples/week/README.md), each kept in the reject table"
elif [ $rc != 0 ]; then
	exit $rc
fi

# The sampler logs under its own names; the registry (hardware_profiles.json)
# calls the same machines by its names: the MX150 laptop (4 GB VRAM) is
# desktop_m965jsc_entry, the RTX 3070 desktop (8 GB) the class of
# desktop_home_target.
set -e
echo
echo "\$ perfingest --db $db --alias laptop_mx150=desktop_m965jsc_entry --alias desktop_rtx3070=desktop_home_target"
"$bin/perfingest" --db "$db" --alias laptop_mx150=desktop_m965jsc_entry \
	--alias desktop_rtx3070=desktop_home_target >/dev/null

p=$bin/perfanalyze
run list        "$p" --db "$db" --list
run compare     "$p" --db "$db" --compare laptop_mx150 desktop_rtx3070 --hours 168
run tiers       "$p" --db "$db" --tiers --hours 168
run correlate   "$p" --db "$db" --correlate --profile desktop_rtx3070
run experiment  "$p" --db "$db" --experiment exp_20251212_agent_loop
run regressions "$p" --db "$db" --regressions

r=$bin/perfreport
for out in out/report.html out/report.md; do
	echo
	echo "\$ perfreport --db $db --compare laptop_mx150 desktop_rtx3070 --hours 168 --output $out"
	"$r" --db "$db" --compare laptop_mx150 desktop_rtx3070 --hours 168 --output "$out"
done
echo
echo "\$ perfreport --db $db --requirements --output out/requirements.html"
"$r" --db "$db" --requirements --output out/requirements.html

report() {   # report OUT ARGS...: one more perfreport, echoed first
	out=$1; shift
	echo
	echo "\$ perfreport --db $db $* --output $out"
	"$r" --db "$db" "$@" --output "$out"
	reports="$reports $out"
}
reports=""
report out/experiment.html --experiment exp_20251212_agent_loop
report out/session.html --session demo_session_001
report out/regressions.html --regressions
report out/throttling.html --throttling laptop_mx150 --hours 168

# Every report the database supports, with an index; run again, it keeps
# what did not change.
echo
echo "\$ perfreport --db $db --all --outdir out/all"
mkdir -p out/all
"$r" --db "$db" --all --outdir out/all

echo
echo "demo: wrote (database $db):"
for f in out/report.html out/report.md out/requirements.html $reports out/all/index.html $written; do
	echo "  $f"
done
