#!/usr/bin/env python3
"""gen_gpu_sys.py DIR MINUTES END_EPOCH - a real-shaped year of minute samples
of one nvidia-smi GPU (DIR/nvidia_smi_year.csv, `nvidia-smi --query-gpu=...
--format=csv -l 60`) and one sysstat host (DIR/sadf_year.json, `sadf -j`),
both ending at END_EPOCH, for measuring analyses over F9/F10 (README,
"Measured figures").  Deterministic (seeded)."""
import math
import random
import sys
import time

out, minutes, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(9)
start = end - minutes * 60
with open(f"{out}/nvidia_smi_year.csv", "w") as f:
    f.write("timestamp, index, name, utilization.gpu [%], utilization.memory [%], "
            "memory.used [MiB], memory.total [MiB], temperature.gpu, power.draw [W], "
            "clocks.sm [MHz]\n")
    for i in range(minutes):
        t = start + i * 60
        day = 0.5 + 0.5 * math.sin(2 * math.pi * (t % 86400) / 86400)
        u = min(100, max(0, int(day * 90 + rnd.gauss(0, 8))))
        stamp = time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(t)) + ".%03d" % rnd.randrange(1000)
        f.write(f"{stamp}, 0, NVIDIA GeForce RTX 3070, {u} %, {u // 3} %, "
                f"{2000 + u * 50} MiB, 8192 MiB, {40 + u // 3}, {30 + u * 1.9:.2f} W, "
                f"{300 + u * 15} MHz\n")
with open(f"{out}/sadf_year.json", "w") as f:
    f.write('{"sysstat": {"hosts": [{"nodename": "gpuhost", "sysname": "Linux", '
            '"number-of-cpus": 8, "timezone": "UTC", "statistics": [\n')
    for i in range(minutes):
        t = start + i * 60
        day = 0.5 + 0.5 * math.sin(2 * math.pi * (t % 86400) / 86400)
        busy = min(99.0, max(0.5, day * 70 + rnd.gauss(0, 5)))
        used = int(4e6 + busy * 8e4)
        d, hms = time.strftime("%Y-%m-%d", time.gmtime(t)), time.strftime("%H:%M:%S", time.gmtime(t))
        f.write(('' if i == 0 else ',\n') +
                f'{{"timestamp": {{"date": "{d}", "time": "{hms}", "utc": 1, "interval": 60}}, '
                f'"cpu-load": [{{"cpu": "all", "user": {busy * 0.7:.2f}, "nice": 0.00, '
                f'"system": {busy * 0.3:.2f}, "iowait": 0.10, "steal": 0.00, '
                f'"idle": {100 - busy - 0.1:.2f}}}], '
                f'"memory": {{"memfree": {16000000 - used}, "avail": {16300000 - used}, '
                f'"memused": {used}, "memused-percent": {used / 163000:.2f}, "buffers": 6252, '
                f'"cached": 634740, "commit": 47036, "commit-percent": 0.19}}, '
                f'"queue": {{"runq-sz": {int(busy / 12)}, "plist-sz": 412, '
                f'"ldavg-1": {busy / 12:.2f}, "ldavg-5": {busy / 13:.2f}, '
                f'"ldavg-15": {busy / 14:.2f}, "blocked": 0}}}}')
    f.write("\n]}]}}\n")
