#!/usr/bin/env python3
"""generate_week.py - writes the rest of the demo's week (samples/week/): the
logs that sit beside the two F1 hardware-sample files of samples/logs/ on the
same machines over the same week, one file per format of FORMATS.md:

  agent_metrics.csv               F3, agent runs on desktop_rtx3070; each run's
                                  TES falls with the GPU load the F1 log shows
                                  during it (so --correlate finds something)
  wake_word_audit.csv             F4 with latency_ms, the laptop's wake words
  profiles/llm_agent_loop.json    F5, an LLM experiment on the laptop whose peak
                                  memory grows slowly (a leak to be found)
  bench/perfingest-*.json         F7 perfkit benchmark JSON, two runs a day with
                                  one real step down in ingest speed
  nvidia_smi_desktop_rtx3070.csv  F9, the desktop's last day, 5 minutes apart

plus README.md listing the deliberately bad lines.  The registry (F2), the app
session (F6) and the sysstat export (F10) in samples/week/ are the real example
files of /work/shared/formats/, copied, not generated.

Usage: python3 samples/generate_week.py OUTDIR   (normally: samples)
Reads OUTDIR/logs/*.jsonl (write them first: generate_samples.py).  Python 3
standard library only; the output is the same on every run (fixed seed).
"""

import json
import math
import os
import random
import sys
from datetime import datetime, timedelta, timezone

SEED = 20251214
END = datetime(2025, 12, 14, 0, 0, 0, tzinfo=timezone.utc)
START = END - timedelta(days=7)
UTC = timezone.utc


def load_f1(path):
    """[(epoch s, record)] of the valid lines of an F1 log, in time order."""
    out = []
    with open(path, "rb") as f:
        for raw in f:
            try:
                rec = json.loads(raw.decode("utf-8"))
                t = datetime.fromisoformat(rec["timestamp"]).timestamp()
            except (ValueError, KeyError, UnicodeDecodeError):
                continue
            if START.timestamp() <= t <= END.timestamp():
                out.append((t, rec))
    out.sort(key=lambda x: x[0])
    return out


def gpu_util_during(samples, t0, t1):
    """Mean GPU utilisation of the samples in [t0, t1], or None."""
    vals = [r["gpu"].get("utilization_percent") for t, r in samples
            if t0 <= t <= t1 and isinstance(r.get("gpu"), dict)]
    vals = [v for v in vals if isinstance(v, (int, float)) and not math.isnan(v)]
    return sum(vals) / len(vals) if vals else None


def iso_s(t):
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def line_of(rows, i):
    """1-based file line where rows[i] starts (quoted fields may hold newlines)."""
    return 1 + sum(r.count("\n") + 1 for r in rows[:i])


def agent_metrics(rng, desktop, bad):
    """F3 schema 3: ~150 runs in the desktop's busy hours."""
    hdr = ("iso_ts,tes,stability,velocity,footprint,duration_s,status,applied,"
           "changed_files,run_tests,autonomy_mode,model_id,run_dir,hint,"
           "compliance,ethics,coherence,tes_v3,tes_schema")
    rows = [hdr]
    hints = ["add retry to fetch()", "fix flaky test in parser",
             'refactor loader, keep "legacy" flag', "bump timeout, 30 s -> 60 s",
             "document --alias\nin the README", "split report.c"]
    t = START.timestamp() + 8 * 3600
    while t < END.timestamp() - 3600:
        hour = datetime.fromtimestamp(t, UTC).hour
        if 7 <= hour <= 22:
            dur = rng.uniform(120, 900)
            util = gpu_util_during(desktop, t - dur, t)
            if util is not None:
                # a loaded GPU slows the agent's model: runs take longer and fail more
                p_fail = 0.05 + 0.5 * util / 100
                dur *= 1 + util / 120
                stability = rng.choice([0.6, 0.2, 0.0]) if rng.random() < p_fail else 1.0
                files = max(0, int(rng.gauss(2 + 4 * util / 100, 1.5)))
                velocity = min(1, max(0, (900 - dur) / 810))
                footprint = min(1, max(0, (10 - files) / 9)) if files > 1 else 1.0
                tes = round(100 * (0.5 * stability + 0.3 * velocity + 0.2 * footprint), 1)
                mode = rng.choice(["safe", "tests", "apply", "apply_tests"])
                applied = 1 if mode.startswith("apply") else 0
                tests = 1 if mode.endswith("tests") else 0
                hint = rng.choice(hints)
                if any(c in hint for c in ',"\n'):
                    hint = '"' + hint.replace('"', '""') + '"'
                model = rng.choice(["qwen2.5-coder:7b", "qwen2.5-coder:7b", "llama3.1:8b"])
                rows.append(",".join([
                    iso_s(t), "%.1f" % tes, "%.1f" % stability, "%.4f" % velocity,
                    "%.4f" % footprint, "%.2f" % dur,
                    "done" if stability == 1.0 else "error", str(applied),
                    str(files), str(tests), mode, model,
                    "runs/" + datetime.fromtimestamp(t, UTC).strftime("%Y%m%d-%H%M%S"),
                    hint, "%.2f" % rng.uniform(0.8, 1), "1.0",
                    "%.2f" % rng.uniform(0.7, 1), "%.1f" % tes, "3"]))
        t += rng.uniform(1800, 5400)
    # a run whose clock was not set (impossible date): rejected
    i = 40
    rows[i] = "2025-02-30" + rows[i][10:]
    bad.append("- `week/agent_metrics.csv:%d`: impossible date 2025-02-30 in iso_ts "
               "(rejected)" % line_of(rows, i))
    # tes 104.2, out of its 0..100 range: stored with a warning
    i = 76
    f = rows[i].split(",", 2)
    rows[i] = ",".join([f[0], "104.2", f[2]])
    bad.append("- `week/agent_metrics.csv:%d`: tes 104.2 outside 0..100 "
               "(stored, with a warning)" % line_of(rows, i))
    return "\n".join(rows) + "\n"


def wake_audit(rng, laptop, bad):
    """F4 with latency_ms: bursts of wake words on the laptop in its busy hours;
    latency follows the laptop's own latency at that time (from the F1 log)."""
    rows = ["ts,session_id,source,word,variant,phonetic,lev,decoder,fused,decision,latency_ms"]
    for t, rec in laptop:
        inf = rec.get("inference_timing")
        if not isinstance(inf, dict) or not inf.get("available") or rng.random() > 0.12:
            continue
        base = inf["wake_word_latency_ms"]["mean"]
        sid = "s-" + datetime.fromtimestamp(t, UTC).strftime("%Y%m%d")   # one a day
        for k in range(rng.randint(1, 3)):
            ts = t + rng.uniform(1, 55)   # just after a sample: --correlate matches it
            variant = rng.choice(["jarvis", "jarvis", "jarviss", "travis"])
            ph = rng.uniform(0.8, 1) if variant == "jarvis" else rng.uniform(0.4, 0.8)
            lev = 1.0 if variant == "jarvis" else rng.uniform(0.7, 0.9)
            dec = rng.uniform(0.3, 1)
            fused = 0.4 * ph + 0.3 * lev + 0.3 * dec
            rows.append("%.6f,%s,mic,jarvis,%s,%.2f,%.2f,%.2f,%.2f,%s,%.1f" % (
                ts, sid, variant, ph, lev, dec, fused,
                "scored" if fused >= 0.7 else "rejected",
                max(200.0, rng.gauss(base, 120))))
    i = 58
    rows[i] = "1765200000.0x" + rows[i][rows[i].index(","):]   # no quoted newlines here
    bad.append("- `week/wake_word_audit.csv:%d`: ts `1765200000.0x` is not a time "
               "(rejected)" % (i + 1))
    return "\n".join(rows) + "\n"


def experiment(rng):
    """F5: 150 cycles of an agent loop on the laptop; peak memory grows by about
    2.5 MB a cycle (+13 % over the run, on top of noise) and tokens/s falls."""
    start = datetime(2025, 12, 12, 19, 0, tzinfo=UTC).timestamp()
    cycles, t = [], start
    for n in range(1, 151):
        crashed = rng.random() < 0.02
        llm = rng.uniform(3.5, 6.0)
        tps = max(1.0, rng.gauss(9.0 - 1.5 * n / 150, 0.6))
        db = rng.uniform(0.4, 1.0)
        ctx = rng.uniform(0.05, 0.2)
        over = rng.uniform(0.3, 0.9)
        dur = llm + db + ctx + over
        peak = 2950 + 2.5 * n + rng.gauss(0, 25) + (120 if n % 30 == 0 else 0)
        cycles.append({
            "cycle_number": n, "duration": round(dur, 4), "crashed": crashed,
            "crash_reason": "CUDA out of memory" if crashed else None,
            "llm_metrics": {"inference_count": 2, "total_time": round(llm, 4),
                            "tokens_generated": int(llm * tps),
                            "tokens_per_second": tps},
            "db_metrics": {"queries": rng.randint(6, 14), "total_time": round(db, 4)},
            "memory_metrics": {"peak_mb": round(peak, 2), "snapshots": []},
            "gpu_metrics": {"utilization_percent": round(rng.uniform(70, 99), 1),
                            "temperature_c": round(rng.uniform(68, 82), 1)},
            "timings": [{"name": "context_build", "duration": round(ctx, 4), "metadata": {}},
                        {"name": "llm_inference", "duration": round(llm, 4),
                         "metadata": {"model": "qwen2.5:3b-q4_K_M"}},
                        {"name": "db_query", "duration": round(db, 4), "metadata": {}},
                        {"name": "mode_overhead", "duration": round(over, 4), "metadata": {}}]})
        t += dur + 30
    llm_t = sum(c["llm_metrics"]["total_time"] for c in cycles)
    doc = {
        "experiment_id": "exp_20251212_agent_loop",
        "experiment_name": "agent loop on the MX150 laptop, qwen2.5 3B Q4",
        "mode": "autonomous", "start_time": start, "end_time": t,
        "total_duration": t - start,
        "system_info": {"platform": "Windows", "platform_release": "10",
                        "platform_version": "10.0.19045", "architecture": "AMD64",
                        "processor": "Intel64 Family 6 Model 142", "python_version": "3.14.2",
                        "cpu_count": 4, "cpu_count_logical": 8, "total_memory_gb": 15.86},
        "aggregate_metrics": {
            "total_cycles": len(cycles), "total_llm_time": llm_t,
            "total_db_time": sum(c["db_metrics"]["total_time"] for c in cycles),
            "total_tokens": sum(c["llm_metrics"]["tokens_generated"] for c in cycles),
            "avg_tokens_per_second": sum(c["llm_metrics"]["tokens_per_second"]
                                         for c in cycles) / len(cycles),
            "peak_memory_mb": max(c["memory_metrics"]["peak_mb"] for c in cycles),
            "avg_memory_mb": sum(c["memory_metrics"]["peak_mb"] for c in cycles) / len(cycles)},
        "cycles": cycles,
        "bottlenecks": [{"type": "llm_inference", "severity": "high",
                         "description": "LLM inference takes most of each cycle",
                         "percentage_of_cycle": 100 * llm_t / sum(c["duration"] for c in cycles)}],
        "recommendations": ["Use a smaller or more quantized model"]}
    return json.dumps(doc, indent=2) + "\n"


def bench_runs(rng):
    """F7: 14 runs of the 'perfingest' suite on desktop_rtx3070, 06:00 and 18:00
    UTC each day; from run 10 on (revision c0ffee9) F1 ingest is ~18 % slower."""
    out = []
    for k in range(14):
        t = START + timedelta(hours=6 + 12 * k)
        slow = k >= 9
        lines = [rng.gauss(96000 if slow else 118000, 2500) for _ in range(5)]
        compare = [rng.gauss(0.68, 0.02) for _ in range(5)]
        doc = {"perfkit_bench": 1, "suite": "perfingest",
               "run_time": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
               "host": "desktop_rtx3070",
               "revision": "c0ffee9" if slow else "a1b2c3d",
               "benchmarks": [
                   {"name": "ingest F1", "unit": "lines/s", "direction": "higher",
                    "values": [round(v) for v in lines]},
                   {"name": "compare a week", "unit": "s", "direction": "lower",
                    "values": [round(v, 4) for v in compare]}]}
        out.append(("perfingest-%s.json" % t.strftime("%Y%m%dT%H%M"),
                    json.dumps(doc, indent=2) + "\n"))
    return out


def nvidia_smi(rng, desktop, bad):
    """F9 with units, the desktop's last day, one row every 5 minutes (local
    time = UTC here), GPU use following the F1 samples of the same minutes."""
    hdr = ("timestamp, index, name, utilization.gpu [%], utilization.memory [%], "
           "memory.used [MiB], memory.total [MiB], temperature.gpu, power.draw [W], "
           "clocks.sm [MHz]")
    rows = [hdr]
    t0 = END.timestamp() - 86400
    for m in range(288):
        t = t0 + 300 * m + 0.374
        near = [r for tt, r in desktop if abs(tt - t) <= 150 and isinstance(r.get("gpu"), dict)]
        g = near[0]["gpu"] if near else {}
        util = max(0, min(100, (g.get("utilization_percent") or 3) + rng.gauss(0, 3)))
        used = g.get("memory_used_mb") or 700
        temp = g.get("temperature_celsius") or 36
        power = 15 + 2.0 * util
        rows.append("%s, 0, NVIDIA GeForce RTX 3070, %d %%, %d %%, %d MiB, 8192 MiB, %d, %.2f W, %d MHz" % (
            datetime.fromtimestamp(t, UTC).strftime("%Y/%m/%d %H:%M:%S.%f")[:-3],
            util, util * 0.4, used, temp, power, 210 + 17 * util))
        if m == 150:   # nvidia-smi restarted into the same file: header again (valid)
            rows.append(hdr)
    rows[100] = rows[100].rsplit(",", 1)[0] + ", [Unknown Error]"
    bad.append("- `week/nvidia_smi_desktop_rtx3070.csv:101`: clocks.sm is "
               "`[Unknown Error]` (stored as missing, the text kept in extra)")
    bad.append("- `week/nvidia_smi_desktop_rtx3070.csv:153`: the header again "
               "(nvidia-smi restarted into the same file; skipped, valid)")
    return "\n".join(rows) + "\n"


README = """\
# The rest of the demo's week

Logs of the same two machines as `../logs/` (laptop_mx150, desktop_rtx3070)
over the same week, one file per format of FORMATS.md, so `make demo` can show
every analysis and the weekly requirements report on one database.

Copied from the real example files of FORMATS.md (not generated):
- `hardware_profiles.json` (F2): the profile registry. `desktop_m965jsc_entry`
  (GeForce MX150, 4 GB) is the laptop, `desktop_home_target` (8 GB) the class
  of the desktop; the demo links them with `perfingest --alias`.
- `demo_session_001.json` (F6): an app session profile.
- `sadf-sample.json` (F10): `sadf -j` of a Linux host (`lab-node-1`, 2026-11-21).

Generated by `generate_week.py` (run by `make samples` after
`generate_samples.py`; fixed seed, the same output every time, standard
library only; do not edit by hand):
- `agent_metrics.csv` (F3): agent runs on the desktop; a run's TES falls with
  the GPU load its F1 samples show.
- `wake_word_audit.csv` (F4, with `latency_ms`): the laptop's wake words.
- `profiles/llm_agent_loop.json` (F5): 150 cycles whose peak memory grows
  slowly (a leak) while tokens/s falls.
- `bench/perfingest-*.json` (F7, perfkit benchmark JSON): 14 runs, two a day;
  ingest speed steps down about 18 % from the 10th run (2025-12-11T18:00Z).
- `nvidia_smi_desktop_rtx3070.csv` (F9): the desktop's last day, 5 minutes apart.

Lines broken or unusual on purpose (1-based):
"""


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: generate_week.py OUTDIR\n")
        return 2
    outdir = argv[1]
    week = os.path.join(outdir, "week")
    laptop = load_f1(os.path.join(outdir, "logs", "hardware_profile_laptop_mx150.jsonl"))
    desktop = load_f1(os.path.join(outdir, "logs", "hardware_profile_desktop_rtx3070.jsonl"))
    rng = random.Random("%d/week" % SEED)
    bad = []
    files = [("agent_metrics.csv", agent_metrics(rng, desktop, bad)),
             ("wake_word_audit.csv", wake_audit(rng, laptop, bad)),
             ("profiles/llm_agent_loop.json", experiment(rng)),
             ("nvidia_smi_desktop_rtx3070.csv", nvidia_smi(rng, desktop, bad))]
    files += [("bench/" + n, d) for n, d in bench_runs(rng)]
    for name, data in files:
        path = os.path.join(week, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(data)
    with open(os.path.join(week, "README.md"), "w", encoding="utf-8") as f:
        f.write(README + "\n".join(bad) + "\n")
    print("wrote %d files in %s" % (len(files) + 1, week))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
