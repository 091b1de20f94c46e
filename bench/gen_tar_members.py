#!/usr/bin/env python3
"""gen_tar_members.py N OUT.tar - a tar of N small members, each one F1 line
(hardware_profile_tarbench.jsonl in its own folder, one sample a minute from
2025-01-01T00:00:00Z), for the many-small-members case of `make bench`
(bench/tar_members.sh).  Deterministic: the same N gives the same bytes."""
import io
import sys
import tarfile
import time

LINE = ('{"timestamp": "%s", "cpu": {"percent_total": %d.5, '
        '"percent_per_core": [1.0, 2.0]}, "memory": {"used_gb": 3.25, '
        '"percent": 40.0}, "gpu": {"available": false}}\n')
START = 1735689600  # 2025-01-01T00:00:00Z


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_tar_members.py N OUT.tar")
    n, out = int(sys.argv[1]), sys.argv[2]
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tar:
        for i in range(n):
            ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(START + 60 * i))
            data = (LINE % (ts, i % 100)).encode()
            info = tarfile.TarInfo("m/%06d/hardware_profile_tarbench.jsonl" % i)
            info.size = len(data)
            info.mtime = START
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main()
