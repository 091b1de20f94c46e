#!/bin/sh
# make_seeds.sh - (re)writes the seed corpus of the fuzz harnesses,
# corpus/<harness>/seed-*, from the test fixtures, the sample logs and the
# format examples in /work/shared/formats (when present).  Seeds are kept
# small (a few KiB: the fuzzer mutates them many times a second).  Inputs
# the fuzzer found (corpus/<harness>/crash-*, ...) are left alone.
# Run from anywhere: sh tests/fuzz/make_seeds.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/../.." && pwd)
FX=$REPO/tests/fixtures
FORMATS=${FORMATS:-/work/shared/formats}
C=$here/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

seed() { # harness name file [bytes]
	mkdir -p "$C/$1"
	if [ $# -ge 4 ]; then head -c "$4" "$3" > "$C/$1/seed-$2"; else cp "$3" "$C/$1/seed-$2"; fi
}
rm -f "$C"/*/seed-*

# line JSON (F1): the first lines of the samples, and hostile lines
head -n 8 "$REPO/samples/logs/hardware_profile_laptop_mx150.jsonl" > "$tmp/mx150.jsonl"
head -n 8 "$REPO/samples/logs/hardware_profile_desktop_rtx3070.jsonl" > "$tmp/rtx.jsonl"
seed line_json mx150.jsonl "$tmp/mx150.jsonl"
seed line_json rtx3070.jsonl "$tmp/rtx.jsonl"
head -n 4 "$FX/quality/hardware_profile_hot.jsonl" > "$tmp/hot.jsonl"
seed line_json hot.jsonl "$tmp/hot.jsonl"
f=$tmp/hostile.jsonl
printf '\357\273\277{"timestamp": "2025-12-14T00:00:00Z", "cpu": {"percent_total": 1}}\r\n\r\n\n' > $f
printf '{"timestamp": "2025-12-14T00:01:00Z", "profile_name": "x\200y"}\n' >> $f
printf '{"timestamp": "2025-12-14T00:02:00Z", "profile_name": "nul\\u0000name"}\n' >> $f
printf '{"timestamp": "2025-12-14T00:07:00+05:30", "cpu": {"percent_total": 5e-324, "x": 1e999, "y": -0}}\n' >> $f
printf '{"timestamp": "2025-02-29T00:00:00Z"}\n{"timestamp": 1765670400}\n[1, 2]\nnull\n' >> $f
printf '{"timestamp": "2025-12-14T00:08:00Z", "gpu": [1, 2], "memory": null, "cpu": "busy"}\n' >> $f
printf '{"timestamp": "2025-12-14T00:09:00Z", "memory": {"percent": NaN}, "x": [[[[[[1]]]]]]}\n' >> $f
printf '\001\002\003\000binary\377\n{"timestamp": "2025-12-14T00:12:00Z"' >> $f
seed line_json hostile.jsonl "$f"

# CSV (F2, F3)
for x in agent_metrics.csv agent_metrics_14col_header.csv agent_metrics_empty.csv; do
	seed csv "$x" "$FX/tes/$x"
done
seed csv agent_metrics_hostile.csv "$FX/tes/agent_metrics_hostile.csv" 4096
for x in "$FX"/wake/*.csv; do seed csv "$(basename "$x")" "$x"; done

# whole-document JSON: registry, experiment, session, hyperfine, bench, sadf
for x in "$FX"/registry/*.json; do seed json_doc "registry-$(basename "$x")" "$x"; done
for x in "$FX"/experiment/*.json; do seed json_doc "experiment-$(basename "$x")" "$x"; done
for x in "$FX"/session/*.json; do seed json_doc "session-$(basename "$x")" "$x"; done
for x in "$FX"/bench/*.json; do seed json_doc "bench-$(basename "$x")" "$x"; done
for x in "$FX"/sadf/sadf-hostile.json "$FX"/sadf/sadf-local-tz.json; do
	seed json_doc "sadf-$(basename "$x")" "$x"
done
seed json_doc sadf-sample-head.json "$FX/sadf/sadf-sample.json" 6000
# real sadf 12.6: restarts and comments, a same-second conflict, a comment's
# unescaped quotes
for x in sadf-restart-comment-u sadf-same-instant sadf-comment-unescaped; do
	seed json_doc "$x.json" "$FX/sysstat-real/$x.json"
done
if [ -d "$FORMATS" ]; then
	for x in "$FORMATS"/*.json; do seed json_doc "formats-$(basename "$x")" "$x" 8192; done
fi

# nvidia-smi (F9)
for x in "$FX"/nvidia-smi/*; do seed nvidia_smi "$(basename "$x")" "$x"; done

# generic (F8)
for x in "$FX"/generic/*; do seed generic "$(basename "$x")" "$x"; done

# archives: tar, tar.gz, .gz, zip (one with a UTF-8 flagged name), truncated
mkdir -p "$tmp/a/logs"
cp "$tmp/mx150.jsonl" "$tmp/a/logs/hardware_profile_laptop_mx150.jsonl"
cp "$FX/tes/agent_metrics.csv" "$FX/wake/wake_word_audit.csv" "$tmp/a/logs/"
cp "$FX/bench/hyperfine-sample.json" "$tmp/a/logs/"
TAR="tar --sort=name --mtime=@1765670400 --owner=0 --group=0 --numeric-owner"
(cd "$tmp/a" && $TAR -cf "$tmp/logs.tar" logs)
gzip -n -c "$tmp/logs.tar" > "$tmp/logs.tar.gz"
gzip -n -c "$tmp/mx150.jsonl" > "$tmp/one.jsonl.gz"
seed archive logs.tar "$tmp/logs.tar"
seed archive logs.tar.gz "$tmp/logs.tar.gz"
seed archive one.jsonl.gz "$tmp/one.jsonl.gz"
seed archive truncated.tar.gz "$tmp/logs.tar.gz" 700
python3 - "$tmp/a/logs" "$C/archive/seed-logs.zip" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(os.listdir(src)):
        info = zipfile.ZipInfo("logs/" + name, date_time=(2025, 12, 14, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, open(os.path.join(src, name), "rb").read())
    info = zipfile.ZipInfo("logs/h\u00e9/agent_metrics.csv", date_time=(2025, 12, 14, 0, 0, 0))
    z.writestr(info, open(os.path.join(src, "agent_metrics.csv"), "rb").read())
PY
ls "$C"/* | wc -l
