#!/usr/bin/env python3
"""gen_docs.py - writes the whole-document logs of the `make bench` mixed
tree (bench/run.sh runs it; not part of the perfkit build), as variations of
the real examples in tests/fixtures/ (FORMATS.md):

  sessions N  F6 app session profiles: perf/samples/<session_id>.json,
              30 minutes apart, numbers jittered, indent 2
  hyperfine N F7 hyperfine --export-json files <suite>-<k>.json, a series
              per suite, file times one day apart (run time = mtime)
  sadf N S    F10 sadf -j documents: N hosts-days of S statistics, 10 s
              apart, indent 1 (sadf's own layout)
  registry    F2 config/hardware_profiles.json (the example as it is)

  python3 gen_docs.py KIND OUTDIR [N [S]] [--seed K] [--prefix P]

Standard library only; the same arguments give the same bytes (file times
included).
"""
import argparse
import copy
import json
import os
import random
import shutil
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "tests", "fixtures")
START = 1733011200            # 2024-12-01T00:00:00Z


def iso(t, frac=True):
    s = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(int(t)))
    return s + (".%06d" % int(round((t - int(t)) * 1e6)) if frac else "")


def jitter(rng, v):
    """The same value type, moved by up to 20 %."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return max(0, int(v * rng.uniform(0.8, 1.2)))
    if isinstance(v, float):
        return round(v * rng.uniform(0.8, 1.2), 4)
    if isinstance(v, dict):
        return {k: jitter(rng, x) for k, x in v.items()}
    if isinstance(v, list):
        return [jitter(rng, x) for x in v]
    return v


def sessions(out, n, rng, prefix):
    with open(os.path.join(FIX, "session", "demo_session_001.json")) as f:
        tpl = json.load(f)
    os.makedirs(out, exist_ok=True)
    for k in range(n):
        t = START + k * 1800.0
        d = copy.deepcopy(tpl)
        d["session_id"] = "%s_session_%05d" % (prefix, k)
        d["export_timestamp"] = iso(t + 0.123456)
        d["statistics"] = jitter(rng, d["statistics"])
        mods = {}
        for name, m in d["module_profiles"].items():
            m = jitter(rng, m)
            if "last_called" in m:
                m["last_called"] = iso(t - rng.uniform(1, 600))
            mods[name] = m
        d["module_profiles"] = mods
        samples = []
        for j, s in enumerate(d["recent_samples"]):
            s = jitter(rng, s)
            s["timestamp"] = iso(t - (len(d["recent_samples"]) - j))
            samples.append(s)
        d["recent_samples"] = samples
        with open(os.path.join(out, d["session_id"] + ".json"), "w") as f:
            json.dump(d, f, indent=2)


def hyperfine(out, n, rng, prefix):
    with open(os.path.join(FIX, "bench", "hyperfine-sample.json")) as f:
        tpl = json.load(f)
    os.makedirs(out, exist_ok=True)
    suites = ["startup", "parse", "ingest", "report"]
    for k in range(n):
        d = copy.deepcopy(tpl)
        for r in d["results"]:
            times = [t * rng.uniform(0.9, 1.15) for t in r["times"]]
            ts = sorted(times)
            mean = sum(times) / len(times)
            r.update(mean=mean, median=ts[len(ts) // 2], min=ts[0], max=ts[-1],
                     stddev=(sum((t - mean) ** 2 for t in times) / (len(times) - 1)) ** 0.5,
                     times=times, user=r["user"] * rng.uniform(0.9, 1.1),
                     system=r["system"] * rng.uniform(0.9, 1.1))
        suite = suites[k % len(suites)]
        path = os.path.join(out, "%s-%s-%04d.json" % (prefix, suite, k // len(suites)))
        with open(path, "w") as f:
            json.dump(d, f, indent=2)
        t = START + 86400 * (k // len(suites)) + 3600 * (k % len(suites))
        os.utime(path, (t, t))


def sadf(out, n, stats, rng, prefix):
    with open(os.path.join(FIX, "sadf", "sadf-sample.json")) as f:
        tpl = json.load(f)
    host0 = tpl["sysstat"]["hosts"][0]
    st0 = host0["statistics"]
    os.makedirs(out, exist_ok=True)
    for k in range(n):
        host = {x: v for x, v in host0.items() if x != "statistics"}
        host["nodename"] = "%s-node-%d" % (prefix, k % 4)
        day = START + 86400 * (k // 4)
        host["file-date"] = time.strftime("%Y-%m-%d", time.gmtime(day))
        host["file-utc-time"] = "00:00:01"
        out_stats = []
        for j in range(stats):
            s = jitter(rng, st0[j % len(st0)])
            t = day + 10 * (j + 1)
            s["timestamp"] = {"date": time.strftime("%Y-%m-%d", time.gmtime(t)),
                              "time": time.strftime("%H:%M:%S", time.gmtime(t)),
                              "utc": 1, "interval": 10}
            out_stats.append(s)
        host["statistics"] = out_stats
        doc = {"sysstat": {"hosts": [host]}}
        name = "sadf_%s_%02d.json" % (host["nodename"], k)
        with open(os.path.join(out, name), "w") as f:
            json.dump(doc, f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["sessions", "hyperfine", "sadf", "registry"])
    ap.add_argument("outdir")
    ap.add_argument("n", type=int, nargs="?", default=1)
    ap.add_argument("stats", type=int, nargs="?", default=8640)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--prefix", default="bench")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    if a.kind == "sessions":
        sessions(a.outdir, a.n, rng, a.prefix)
    elif a.kind == "hyperfine":
        hyperfine(a.outdir, a.n, rng, a.prefix)
    elif a.kind == "sadf":
        sadf(a.outdir, a.n, a.stats, rng, a.prefix)
    else:
        os.makedirs(a.outdir, exist_ok=True)
        shutil.copyfile(os.path.join(FIX, "registry", "hardware_profiles.json"),
                        os.path.join(a.outdir, "hardware_profiles.json"))


if __name__ == "__main__":
    main()
