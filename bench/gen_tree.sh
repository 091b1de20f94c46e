#!/bin/sh
# gen_tree.sh OUT DIV GEN_CORPUS GEN_FORMATS - writes the mixed-format tree of
# `make bench` (bench/run.sh runs it): logs of every detectable format
# (F1-F7, F9, F10; F8 generic needs --format generic and is measured on its
# own) in a folder tree, about half of the bytes inside archives:
#   OUT/plain/...                       plain files
#   OUT/archives/logs-2024.tar.gz       F1, F3, F9 logs of an earlier period
#   OUT/archives/rotated/*.gz           a rotated F4 audit, an F1 log
#   OUT/archives/docs.zip               F5 profiles, F6 sessions, F7, F10
# DIV divides every count (1: about 1 GB; 10: about 100 MB).  Archived logs
# cover other profiles or periods than the plain ones, so every record is new.
# Prints "PLAIN_BYTES ARCHIVED_BYTES ON_DISK_BYTES" (archived = uncompressed).
set -eu
OUT=$1
DIV=$2
GC=$3
GF=$4
HERE=$(cd "$(dirname "$0")" && pwd)
END=1765670400      # 2025-12-14T00:00:00Z
T2024=1733011200    # 2024-12-01T00:00:00Z
T2023=1672531200    # 2023-01-01T00:00:00Z
n() { echo $(($1 / DIV)); }

P=$OUT/plain
S=$OUT/staging
rm -rf "$OUT"
mkdir -p "$P/logs/profiles" "$P/config" "$S/logs" "$S/docs" "$S/rotated" "$OUT/archives/rotated"

# plain half; two generators at a time (a 2-core machine)
"$GC" "$P/logs/hardware_profile_tree_a.jsonl" tree_a "$END" "$(n 150000)" 8 900 11 &
"$GF" tes "$P/logs/agent_metrics.csv" "$(n 300000)" 12 "$T2024" tree &
wait
"$GF" wake "$P/logs/wake_word_audit.csv" "$(n 500000)" 13 "$T2024" tree &
"$GF" nvsmi "$P/logs/nvidia_smi_tree_a.csv" "$(n 600000)" 14 "$T2024" &
wait
python3 "$HERE/../tests/fixtures/experiment/make_experiment.py" --cycles "$(n 20000)" --seed 11 \
	--out "$P/logs/profiles/experiment_11.json" &
python3 "$HERE/../tests/fixtures/experiment/make_experiment.py" --cycles "$(n 20000)" --seed 12 \
	--out "$P/logs/profiles/experiment_12.json" &
wait
python3 "$HERE/gen_docs.py" sessions "$P/perf/samples" "$(n 2000)" --seed 15 --prefix tree &
python3 "$HERE/gen_docs.py" sadf "$P/sysstat" 4 "$(n 4320)" --seed 16 --prefix tree &
wait
python3 "$HERE/gen_docs.py" hyperfine "$P/bench" "$(n 400)" --seed 17 --prefix tree
python3 "$HERE/gen_docs.py" registry "$P/config"

# archived half
"$GC" "$S/logs/hardware_profile_tree_b.jsonl" tree_b "$END" "$(n 150000)" 16 450 21 &
"$GF" tes "$S/logs/agent_metrics.csv" "$(n 300000)" 22 "$T2023" arch &
wait
"$GF" nvsmi "$S/logs/nvidia_smi_tree_b.csv" "$(n 600000)" 23 "$T2023" &
"$GF" wake "$S/rotated/wake_word_audit.1.csv" "$(n 500000)" 24 "$T2023" arch &
wait
"$GC" "$S/rotated/hardware_profile_tree_c.jsonl" tree_c "$END" "$(n 50000)" 4 1400 25 &
python3 "$HERE/gen_docs.py" sessions "$S/docs/perf/samples" "$(n 1000)" --seed 26 --prefix arch &
wait
mkdir -p "$S/docs/logs/profiles"
python3 "$HERE/../tests/fixtures/experiment/make_experiment.py" --cycles "$(n 20000)" --seed 13 \
	--out "$S/docs/logs/profiles/experiment_13.json" &
python3 "$HERE/../tests/fixtures/experiment/make_experiment.py" --cycles "$(n 20000)" --seed 14 \
	--out "$S/docs/logs/profiles/experiment_14.json" &
wait
python3 "$HERE/gen_docs.py" hyperfine "$S/docs/bench" "$(n 200)" --seed 27 --prefix arch
python3 "$HERE/gen_docs.py" sadf "$S/docs/sysstat" 1 "$(n 4320)" --seed 28 --prefix arch

ARCH=$(du -sb "$S" | cut -f1)
(cd "$S" && tar -czf "$OUT/archives/logs-2024.tar.gz" logs) &
(cd "$S/rotated" && gzip -c wake_word_audit.1.csv > "$OUT/archives/rotated/wake_word_audit.1.csv.gz") &
wait
(cd "$S/rotated" && gzip -c hardware_profile_tree_c.jsonl \
	> "$OUT/archives/rotated/hardware_profile_tree_c.jsonl.gz") &
(cd "$S/docs" && zip -qr "$OUT/archives/docs.zip" .) &
wait
rm -rf "$S"
echo "$(du -sb "$P" | cut -f1) $ARCH $(du -sb "$OUT" | cut -f1)"
