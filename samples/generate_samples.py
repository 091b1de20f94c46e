#!/usr/bin/env python3
"""generate_samples.py - writes perfkit's example hardware-sample logs (format
F1 of FORMATS.md) and their README: a week of 5-minute samples for two
machines, a laptop with an MX150 and a desktop with an RTX 3070, as the
psutil + nvidia-smi sampler writes them with json.dumps, with a few
deliberately broken lines placed mid-file.

Usage: python3 samples/generate_samples.py OUTDIR   (normally: samples)
Writes OUTDIR/logs/hardware_profile_<profile>.jsonl and OUTDIR/README.md
(OUTDIR/week/ is generate_week.py's).
Python 3 standard library only; the output is the same on every run (fixed
seed, fixed end time).  Prints one summary line on stdout.
"""

import json
import math
import os
import random
import sys
from datetime import datetime, timedelta, timezone

SEED = 20251214
END = datetime(2025, 12, 14, 0, 0, 0, tzinfo=timezone.utc)
DAYS = 7
INTERVAL_S = 300            # the sampler's --interval
LOCAL = timezone(timedelta(hours=1))   # the machines' local time (daily rhythm)

PROFILES = {
    "laptop_mx150": {
        "cores": 8,
        "ram_total_gb": 15.86,
        "swap_total_gb": 4.0,
        "gpu_total_mb": 4096,
        "gpu_base_mb": (160, 420),
        "gpu_model_mb": 2650,      # Q4 LLM held in VRAM during sessions
        "gpu_idle_temp": 41.0,
        "gpu_max_temp": 83.0,
        "gpu_busy_util": (72, 100),
        "power": False,            # mobile GPU: nvidia-smi says [N/A] -> 0.0
        "thermal": False,          # Windows
        "cpu_night": (0.8, 6.0),
        "cpu_day": (4.0, 22.0),
        "cpu_busy": (38.0, 88.0),  # whisper runs on the CPU
        "freq": "windows",
        "freq_null_p": 0.04,
        "ram_base_gb": 7.4,
        "procs": (255, 330),
        "py_mem_pct": (8.0, 14.0),
        "latency_base_ms": 1270.0,
        "latency_cpu_gain": 0.35,
        "weekend_factor": 0.55,
        "gap": (datetime(2025, 12, 10, 1, 10, tzinfo=LOCAL),
                datetime(2025, 12, 10, 6, 55, tzinfo=LOCAL)),
    },
    "desktop_rtx3070": {
        "cores": 16,
        "ram_total_gb": 31.26,
        "swap_total_gb": 2.0,
        "gpu_total_mb": 8192,
        "gpu_base_mb": (520, 980),
        "gpu_model_mb": 5300,      # Q5 7B LLM + whisper medium on the GPU
        "gpu_idle_temp": 34.0,
        "gpu_max_temp": 71.0,
        "gpu_busy_util": (55, 98),
        "power": True,
        "thermal": True,           # Linux, k10temp + nvme
        "cpu_night": (0.4, 3.5),
        "cpu_day": (2.0, 14.0),
        "cpu_busy": (14.0, 48.0),
        "freq": "linux",
        "freq_null_p": 0.008,
        "ram_base_gb": 5.6,
        "procs": (388, 472),
        "py_mem_pct": (4.0, 9.0),
        "latency_base_ms": 437.0,
        "latency_cpu_gain": 0.10,
        "weekend_factor": 0.7,
        "gap": None,
    },
}


def day_curve(local_dt, weekend_factor):
    """Expected activity 0..1 at a local time: idle nights, busy days."""
    h = local_dt.hour + local_dt.minute / 60.0
    points = [(0, 0.04), (1, 0.02), (7, 0.02), (9, 0.6), (12, 0.72), (12.5, 0.4),
              (13.5, 0.72), (18, 0.75), (20, 0.35), (23, 0.3), (24, 0.04)]
    v = 0.0
    for (h0, v0), (h1, v1) in zip(points, points[1:]):
        if h0 <= h <= h1:
            v = v0 + (v1 - v0) * (h - h0) / (h1 - h0)
            break
    if local_dt.weekday() >= 5:
        v *= weekend_factor
    return v


def poisson(rng, lam):
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def clamp(x, lo, hi):
    return lo if x < lo else hi if x > hi else x


def times_for(rng, gap):
    """Sample times, ending a little before END.  The sampler sleeps its
    interval after each sample, so the time drifts by the sampling time."""
    n = DAYS * 86400 // INTERVAL_S
    t = END - timedelta(seconds=rng.uniform(20.0, 80.0))
    out = []
    for _ in range(n):
        out.append(t)
        t -= timedelta(seconds=INTERVAL_S + rng.uniform(1.02, 1.65))
    out.reverse()
    # isoformat() drops the fraction when it is zero: one such sample.
    i = n // 3
    out[i] = out[i].replace(microsecond=0)
    if gap:   # laptop lid closed: the sampler was suspended
        out = [x for x in out if not (gap[0] <= x <= gap[1])]
    return out


def records(name, p, rng):
    """The good records of one profile, in time order."""
    cores = p["cores"]
    busy = False
    loaded = False
    gpu_temp = p["gpu_idle_temp"]
    cpu_temp = 38.0
    ram_walk = 0.0
    swap_used = p["swap_total_gb"] * 0.15
    lat_z = 0.0
    load_avg = 0.5
    out = []
    for ts in times_for(rng, p["gap"]):
        local = ts.astimezone(LOCAL)
        curve = day_curve(local, p["weekend_factor"])
        # busy sessions (agent runs, LLM inference) start with the day curve
        if busy:
            busy = rng.random() > 0.3
        else:
            busy = rng.random() < 0.25 * curve
        if busy and not loaded:
            loaded = rng.random() < 0.6
        elif not busy and loaded:
            loaded = rng.random() > 0.06
        night = curve < 0.08

        # CPU
        lo, hi = p["cpu_busy"] if busy else p["cpu_night"] if night else p["cpu_day"]
        target = rng.uniform(lo, hi)
        spread = 6.0 + target * 0.35
        per_core = [round(clamp(rng.gauss(target, spread), 0.0, 100.0), 1)
                    for _ in range(cores)]
        total = round(sum(per_core) / cores, 1)
        load_avg = 0.6 * load_avg + 0.4 * (total / 100.0 * cores * rng.uniform(0.8, 1.25))
        if p["freq"] == "windows":
            freq = float(round(1992 + 1600 * min(1.0, total / 55.0) * rng.uniform(0.6, 1.0), -1))
        else:
            freq = round(2200.0 + 2450.0 * min(1.0, total / 35.0) * rng.uniform(0.5, 1.0)
                         + rng.uniform(-80, 80), 3)
        if rng.random() < p["freq_null_p"]:
            freq = None
        cpu = {
            "percent_total": total,
            "percent_per_core": per_core,
            "frequency_current_mhz": freq,
            "load_average_1min": round(load_avg + (0.3 if p["thermal"] else 0.0), 2),
        }

        # memory
        ram_walk = clamp(ram_walk + rng.gauss(0, 0.12), -0.8, 0.8)
        used = p["ram_base_gb"] + 3.2 * curve + (1.3 if loaded else 0.0) + ram_walk
        used = clamp(used, 2.0, p["ram_total_gb"] - 0.5)
        avail = p["ram_total_gb"] - used - (rng.uniform(0.3, 0.8) if p["thermal"] else 0.0)
        swap_used += 0.05 * (p["swap_total_gb"] * 0.12 - swap_used) + rng.gauss(0, 0.02)
        swap_used = clamp(swap_used, 0.0, p["swap_total_gb"] * 0.6)
        memory = {
            "used_gb": round(used, 2),
            "available_gb": round(avail, 2),
            "percent": round((p["ram_total_gb"] - avail) / p["ram_total_gb"] * 100.0, 1),
            "swap_used_gb": round(swap_used, 2),
            "swap_percent": round(swap_used / p["swap_total_gb"] * 100.0, 1),
        }

        # GPU
        if busy:
            util = rng.randint(*p["gpu_busy_util"])
        else:
            util = int(curve * 14 + rng.uniform(0, 4))
        mem_used = rng.randint(*p["gpu_base_mb"]) + (p["gpu_model_mb"] + rng.randint(-150, 150)
                                                     if loaded else 0)
        mem_used = min(mem_used, p["gpu_total_mb"] - 40)
        target_t = p["gpu_idle_temp"] + (p["gpu_max_temp"] - p["gpu_idle_temp"]) * util / 100.0
        gpu_temp = gpu_temp + 0.6 * (target_t - gpu_temp) + rng.gauss(0, 0.8)
        if p["power"]:
            power = (rng.uniform(13.5, 22.0) if util < 10
                     else 55.0 + 160.0 * util / 100.0 + rng.gauss(0, 6.0))
            power = round(min(power, 220.0), 2)
        else:
            power = 0.0
        gpu = {
            "available": True,
            "utilization_percent": float(util),
            "memory_utilization_percent": float(clamp(int(util * 0.45 + rng.uniform(0, 6)), 0, 100)),
            "memory_used_mb": float(mem_used),
            "memory_free_mb": float(p["gpu_total_mb"] - mem_used),
            "temperature_celsius": float(round(gpu_temp)),
            "power_draw_watts": power,
        }

        # thermal (Linux only)
        cpu_temp = cpu_temp + 0.5 * (36.0 + 0.9 * total - cpu_temp) + rng.gauss(0, 0.7)
        if p["thermal"]:
            tctl = round(cpu_temp + rng.uniform(-0.5, 0.5), 2)
            tccd = round(cpu_temp - rng.uniform(1.5, 4.0), 2)
            nvme = round(31.85 + 0.08 * total + rng.uniform(0, 2) + (3.0 if busy else 0.0), 2)
            sensors = [
                {"sensor": "k10temp", "label": "Tctl", "current": tctl, "high": None,
                 "critical": None},
                {"sensor": "k10temp", "label": "Tccd1", "current": tccd, "high": None,
                 "critical": None},
                {"sensor": "nvme", "label": "Composite", "current": nvme, "high": 81.85,
                 "critical": 84.85},
            ]
            thermal = {"available": True, "sensors": sensors,
                       "max_temp": max(s["current"] for s in sensors)}
        else:
            thermal = {"available": False, "reason": "Windows does not expose sensors"}

        # processes
        plo, phi = p["procs"]
        py_procs = 4 + (1 if loaded else 0) + (1 if rng.random() < 0.1 else 0)
        processes = {
            "total_processes": int(plo + (phi - plo) * (0.3 * curve + 0.7 * rng.random())),
            "python_processes": py_procs,
            "whisper_processes": 0 if rng.random() < 0.01 else 1,
            "python_memory_total_percent": round(rng.uniform(*p["py_mem_pct"])
                                                 + (2.0 if loaded else 0.0), 2),
            "python_cpu_total_percent": round(total * cores * rng.uniform(0.25, 0.65), 1),
            "python_threads_total": 30 + py_procs * 8 + rng.randint(0, 14),
        }

        # wake-word latency from the audit log, over the interval
        lat_z = 0.85 * lat_z + rng.gauss(0, 0.09)
        count = poisson(rng, 0.05 + 4.0 * curve)
        if count == 0:
            timing = {"available": False, "reason": "no wake-word activity"}
        else:
            load = total / 100.0 if p["freq"] == "windows" else util / 100.0
            mean = p["latency_base_ms"] * math.exp(lat_z) * (1.0 + p["latency_cpu_gain"] * load)
            mean *= math.exp(rng.gauss(0, 0.05))
            if count == 1:
                lo_ms = hi_ms = mean
            else:
                lo_ms = mean * rng.uniform(0.62, 0.92)
                hi_ms = mean * rng.uniform(1.08, 1.6)
            timing = {"available": True,
                      "wake_word_latency_ms": {"mean": round(mean, 1), "min": round(lo_ms, 1),
                                               "max": round(hi_ms, 1), "count": count}}

        out.append({
            "timestamp": ts.isoformat(),
            "profile_name": name,
            "cpu": cpu,
            "memory": memory,
            "gpu": gpu,
            "thermal": thermal,
            "processes": processes,
            "inference_timing": timing,
        })
    return out


def dumps(rec):
    return json.dumps(rec).encode("ascii")


def build_lines(name, recs):
    """Turns records into lines and breaks some of them.  Returns the lines
    (bytes, without line ends), whether the last one is unfinished, and the
    notes [(line_index, text)] for the README.  Break points are fractions of
    the file so the bad lines sit mid-file."""
    n = len(recs)
    bad = {}            # record index -> action
    laptop = name.startswith("laptop")
    if laptop:
        plan = [(0.11, "nan"), (0.23, "gpu_error"), (0.37, "dup"), (0.48, "offset"),
                (0.59, "cut"), (0.72, "utf8"), (0.86, "future_fields")]
        no_profile = [0.05, 0.51, 0.77]
    else:
        plan = [(0.09, "dup"), (0.21, "inf"), (0.34, "future_fields"), (0.46, "bad_date"),
                (0.63, "nan"), (0.78, "utf8")]
        no_profile = [0.14, 0.55, 0.91]
    for f, action in plan:
        bad[int(n * f)] = action
    for f in no_profile:
        i = int(n * f)
        while i in bad:
            i += 1
        bad[i] = "no_profile"

    lines, notes = [], []
    for i, rec in enumerate(recs):
        action = bad.get(i)
        rec = json.loads(json.dumps(rec))     # private copy, same key order
        if action is None:
            lines.append(dumps(rec))
            if "." not in rec["timestamp"]:
                notes.append((len(lines), "valid: timestamp %s has no fraction (isoformat() "
                                          "drops a zero microsecond)" % rec["timestamp"]))
        elif action == "no_profile":
            del rec["profile_name"]
            lines.append(dumps(rec))
            notes.append((len(lines), "valid: no profile_name (the profile comes from the "
                                      "file name)"))
        elif action == "dup":
            lines.append(dumps(rec))
            lines.append(lines[-1])
            notes.append((len(lines), "exact duplicate of line %d (files concatenated)"
                          % (len(lines) - 1)))
        elif action == "nan":
            rec["cpu"]["percent_total"] = float("nan")
            rec["gpu"]["temperature_celsius"] = float("nan")
            lines.append(dumps(rec))
            notes.append((len(lines), "bare NaN tokens: cpu.percent_total and "
                                      "gpu.temperature_celsius are NaN (missing)"))
        elif action == "inf":
            rec["gpu"]["power_draw_watts"] = float("inf")
            rec["memory"]["swap_percent"] = float("-inf")
            lines.append(dumps(rec))
            notes.append((len(lines), "bare Infinity / -Infinity tokens: "
                                      "gpu.power_draw_watts is Infinity, "
                                      "memory.swap_percent is -Infinity"))
        elif action == "gpu_error":
            rec["gpu"] = {"error": "nvidia-smi timed out"}
            lines.append(dumps(rec))
            notes.append((len(lines), 'gpu section is {"error": "nvidia-smi timed out"}; '
                                      "the other sections are fine"))
        elif action == "future_fields":
            rec["disk"] = {"read_mb_s": 1.2, "write_mb_s": 0.4}
            rec["sampler_version"] = "1.4.0"
            lines.append(dumps(rec))
            notes.append((len(lines), 'newer sampler: unknown "disk" section and top-level '
                                      '"sampler_version": "1.4.0" (valid otherwise)'))
        elif action == "offset":
            t = datetime.fromisoformat(rec["timestamp"])
            rec["timestamp"] = t.astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat()
            lines.append(dumps(rec))
            notes.append((len(lines), "valid: timestamp %s with a +05:30 offset (= %s UTC, "
                                      "in sequence with its neighbours)"
                          % (rec["timestamp"], t.strftime("%Y-%m-%dT%H:%M:%S.%f"))))
        elif action == "cut":
            line = dumps(rec)
            lines.append(line[:len(line) // 2])
            notes.append((len(lines), "invalid JSON: a record cut in half (sampler killed "
                                      "mid-write, restarted)"))
        elif action == "bad_date":
            rec["timestamp"] = "2025-02-30" + rec["timestamp"][10:]
            lines.append(dumps(rec))
            notes.append((len(lines), "impossible date: timestamp %s" % rec["timestamp"]))
        elif action == "utf8":
            if laptop:
                rec["thermal"]["reason"] = "@@BAD@@"
                raw = b"Windows does not expose sensors (WMI: acc\xe8s refus\xe9)"
                where, what = "thermal.reason", "0xE8, 0xE9"
            else:
                rec["thermal"]["sensors"][2]["label"] = "@@BAD@@"
                raw = b"Temp\xe9rature \xff"
                where, what = "thermal.sensors[2].label", "0xE9, 0xFF"
            lines.append(dumps(rec).replace(b"@@BAD@@", raw))
            notes.append((len(lines), "invalid UTF-8 (bytes %s) in the string %s"
                          % (what, where)))
    unfinished = False
    if laptop:   # the sampler is still running: last record half written
        last = lines[-1]
        lines[-1] = last[:int(len(last) * 0.62)]
        unfinished = True
        notes.append((len(lines), "last line unfinished: record cut mid-write, no "
                                  "trailing newline"))
    return lines, unfinished, notes


README = """\
# Example hardware-sample logs

`logs/hardware_profile_laptop_mx150.jsonl` and
`logs/hardware_profile_desktop_rtx3070.jsonl` are a week (ending about
2025-12-14T00:00:00Z) of hardware samples, one every {interval} s, in format F1 of
FORMATS.md, as the psutil + nvidia-smi sampler writes them with `json.dumps`: a
Windows laptop with a GeForce MX150 (4096 MB), 16 GB RAM and 8 logical cores (GPU
power always 0.0, thermal sensors unavailable, wake-word latency around 1400 ms),
and a Linux desktop with an RTX 3070 (8192 MB), 32 GB RAM and 16 logical cores
(real power draw, k10temp/nvme sensors, latency around 450 ms). Both follow a daily
rhythm (busy days, idle nights); the laptop was suspended one night
(no samples from 2025-12-10T00:10Z to 05:55Z).

`week/` holds the same machines' other logs of that week, one file per format
(registry, agent runs, wake-word audit, an LLM experiment, an app session,
benchmark runs, nvidia-smi, sysstat): see `week/README.md`. Tests that ingest
`logs/` whole do not see them; `make demo` ingests `samples/` whole.

The files are generated, not recorded: run `make samples` (or
`python3 samples/generate_samples.py samples`), which rewrites both logs and this
README identically every time (fixed seed and end time; Python 3 standard library
only). Do not edit them by hand. The lines below are broken or unusual on purpose;
tests may rely on these line numbers (1-based). Lines not listed are valid F1 records.

"""


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: generate_samples.py OUTDIR\n")
        return 2
    outdir = argv[1]
    logdir = os.path.join(outdir, "logs")
    os.makedirs(logdir, exist_ok=True)
    summary, bad_list = [], []
    for name, prof in PROFILES.items():
        rng = random.Random("%d/%s" % (SEED, name))
        lines, unfinished, notes = build_lines(name, records(name, prof, rng))
        fname = "hardware_profile_%s.jsonl" % name
        data = b"\n".join(lines) + (b"" if unfinished else b"\n")
        path = os.path.join(logdir, fname)
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.replace(path + ".tmp", path)
        for line_no, text in notes:
            bad_list.append("- `logs/%s:%d`: %s" % (fname, line_no, text))
        summary.append("%s (%d lines, %.2f MB)" % (path, len(lines), len(data) / 1e6))
    readme = README.format(interval=INTERVAL_S) + "\n".join(bad_list) + "\n"
    with open(os.path.join(outdir, "README.md"), "w", encoding="utf-8") as f:
        f.write(readme)
    print("generate_samples: wrote " + ", ".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
