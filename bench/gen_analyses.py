#!/usr/bin/python3
"""gen_analyses.py - inputs of the analyses table of `make bench` (bench/analyses.sh),
spread over the year of the bench corpus (the year of minute samples that ends at END):

  OUTDIR/agent_metrics.csv    F3, RUNS agent runs (schema-3 header), one every
                              year/RUNS seconds with jitter, durations 20-1100 s,
                              TES by the writer's rule (FORMATS.md), quoted hints
                              with commas, empty optional scores now and then
  OUTDIR/wake_word_audit.csv  F4 with latency_ms, WAKE events in sessions of 20,
                              sessions spread over the year
  OUTDIR/bench_runs/run_NNNN.json
                              F7 perfkit benchmark JSON, BENCH_RUNS runs of suite
                              "nightly" on host "bench", one every year/BENCH_RUNS
                              seconds; 5 benchmarks of 5 values each, with two
                              level steps and rare spikes per series

Standard library only; the same arguments give the same bytes.
Usage: gen_analyses.py OUTDIR END_EPOCH RUNS WAKE BENCH_RUNS [SEED]
"""
import json
import os
import random
import sys
import time

YEAR = 525600 * 60

MODELS = ["qwen2.5-coder:7b", "llama3.1:8b", "deepseek-coder-v2:16b"]
MODES = ["safe", "tests", "apply", "apply_tests"]
HINTS = ["add retry to fetch()", "fix flaky test_parser, then rerun",
         "bump dependencies", 'rename "cfg" to "config"', "split module, keep API"]
WORDS = [("jarvis", "jarvis"), ("jarvis", "jarviss"), ("hey computer", "hey_computer"),
         ("computer", "komputer"), ("ok lab", "okay_lab")]


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))


def gen_runs(path, end, n, rng):
    step = YEAR / n
    start = end - YEAR
    with open(path, "w", newline="") as f:
        f.write("iso_ts,tes,stability,velocity,footprint,duration_s,status,applied,"
                "changed_files,run_tests,autonomy_mode,model_id,run_dir,hint,compliance,"
                "ethics,coherence,tes_v3,tes_schema\n")
        for i in range(n):
            t = int(start + (i + 0.5) * step + rng.uniform(-0.4, 0.4) * step)
            dur = round(rng.uniform(20, 1100), 2)
            mode = rng.randrange(4)
            applied = int(mode >= 2)
            tests = int(mode in (1, 3))
            files = rng.randrange(14)
            ok = rng.random() < 0.8
            testfail = not ok and rng.random() < 0.5
            vel = 1.0 if dur <= 90 else 0.0 if dur >= 900 else (900 - dur) / 810
            foot = 1.0 if files <= 1 else 0.0 if files >= 10 else (10 - files) / 9
            stab = 1.0 if ok else 0.6 if testfail and not applied else \
                0.2 if applied and testfail else 0.0
            tes = round(1000 * (0.5 * stab + 0.3 * vel + 0.2 * foot)) / 10
            hint = HINTS[rng.randrange(len(HINTS))].replace('"', '""')
            row = "%s,%.1f,%.1f,%.4f,%.4f,%.2f,%s,%d,%d,%d,%s,%s,runs/%06d,\"%s\"," % (
                iso(t), tes, stab, vel, foot, dur, "done" if ok else "error", applied,
                files, tests, MODES[mode], MODELS[rng.randrange(3)], i, hint)
            if rng.random() < 0.1:
                row += ",,,,3\n"
            else:
                row += "%.2f,%.2f,%.2f,%.1f,3\n" % (
                    rng.uniform(0.5, 1), rng.uniform(0.5, 1), rng.uniform(0.5, 1),
                    min(100.0, max(0.0, tes + rng.uniform(-5, 5))))
            f.write(row)


def gen_wake(path, end, n, rng):
    per = 20
    sessions = (n + per - 1) // per
    step = YEAR / sessions
    start = end - YEAR
    k = 0
    with open(path, "w", newline="") as f:
        f.write("ts,session_id,source,word,variant,phonetic,lev,decoder,fused,decision,"
                "latency_ms\n")
        for s in range(sessions):
            t = start + s * step + rng.uniform(0, step / 2)
            day = time.strftime("%Y%m%d", time.gmtime(t))
            for _ in range(per):
                if k == n:
                    return
                t += rng.uniform(0.1, 30)
                w = WORDS[rng.randrange(5)]
                ph, lev = rng.uniform(0.3, 1), rng.uniform(0.4, 1)
                dec = rng.uniform(0.2, 1) if rng.random() > 0.1 else None
                fused = (ph + lev + dec) / 3 if dec is not None else (ph + lev) / 2
                f.write("%.6f,bench-%s-%d,%s,%s,%s,%.2f,%.2f,%s,%.2f,%s,%.1f\n" % (
                    t, day, s, "mic" if rng.random() < 0.8 else "file", w[0], w[1], ph,
                    lev, "" if dec is None else "%.2f" % dec, fused,
                    "scored" if fused > 0.7 else "rejected", rng.lognormvariate(5.5, 0.4)))
                k += 1


def gen_bench(outdir, end, n, rng):
    names = [("ingest lines/s", "lines/s", "higher", 100000.0),
             ("ingest peak RSS", "MB", "lower", 30.0),
             ("analyze 1 year", "s", "lower", 0.5),
             ("compare 1 year", "s", "lower", 0.9),
             ("report html", "s", "lower", 1.2)]
    # per series: two steps at fixed fractions of the history, +-(2..4) sd
    steps = [[(rng.uniform(0.2, 0.45), rng.choice([-1, 1]) * rng.uniform(2, 4)),
              (rng.uniform(0.55, 0.85), rng.choice([-1, 1]) * rng.uniform(2, 4))]
             for _ in names]
    os.makedirs(outdir, exist_ok=True)
    step = YEAR / n
    start = end - YEAR
    for i in range(n):
        t = int(start + (i + 0.5) * step)
        bms = []
        for j, (name, unit, direction, base) in enumerate(names):
            sd = base * 0.02
            level = base + sum(sd * h for frac, h in steps[j] if i >= frac * n)
            spike = sd * 6 if rng.random() < 0.01 else 0.0
            vals = [round(rng.gauss(level + spike, sd), 6) for _ in range(5)]
            bms.append({"name": name, "unit": unit, "direction": direction, "values": vals})
        doc = {"perfkit_bench": 1, "suite": "nightly", "run_time": iso(t), "host": "bench",
               "revision": "r%05d" % i, "benchmarks": bms}
        with open(os.path.join(outdir, "run_%04d.json" % i), "w") as f:
            json.dump(doc, f)
            f.write("\n")


def main():
    if len(sys.argv) not in (6, 7):
        sys.stderr.write("usage: gen_analyses.py OUTDIR END_EPOCH RUNS WAKE BENCH_RUNS [SEED]\n")
        return 2
    out = sys.argv[1]
    end, runs, wake, bruns = (int(x) for x in sys.argv[2:6])
    seed = int(sys.argv[6]) if len(sys.argv) == 7 else 1
    os.makedirs(out, exist_ok=True)
    gen_runs(os.path.join(out, "agent_metrics.csv"), end, runs, random.Random(seed))
    gen_wake(os.path.join(out, "wake_word_audit.csv"), end, wake, random.Random(seed + 1))
    gen_bench(os.path.join(out, "bench_runs"), end, bruns, random.Random(seed + 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
