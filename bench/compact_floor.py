#!/usr/bin/env python3
# compact_floor.py F1.jsonl - how small a database could hold the same F1 lines
# if compressed column blocks were the ONLY copy (no plain-SQL row table):
# the evidence behind the README's "Size, and why both copies stay".
#
# Every field of every line is kept, exactly: the lines are grouped per UTC
# day (as hw_chunk is); each flattened field becomes one column; numbers are
# exact decimals scaled to the column's largest number of decimals, delta
# coded and zigzag varints; anything else (strings, booleans, lists' shapes)
# a dictionary of its JSON text; the line number is a column too
# (provenance). Each day's columns are deflated with zlib at level 6 and
# charged 40 bytes of row overhead. Prints bytes per line; multiply by the
# line count for the file size such a store would have (the B-tree pages
# around the blobs add a few per cent).
import datetime
import decimal
import json
import sys
import zlib
from collections import defaultdict


def flatten(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(item, path + "." + key if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from flatten(item, "%s[%d]" % (path, i))
    else:
        yield path, value


def varint(n, out):
    n = (n << 1) ^ (n >> 63)
    while True:
        byte = n & 0x7F
        n >>= 7
        if not n:
            out.append(byte)
            return
        out.append(byte | 0x80)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def exact_decimal(v):
    """The number as written (repr round-trips), or None when not finite."""
    text = repr(v)
    if text in ("nan", "inf", "-inf"):
        return None
    return decimal.Decimal(text)


def encode_numbers(values, out):
    decs = [exact_decimal(v) if v is not None else None for v in values]
    places = max((-d.as_tuple().exponent for d in decs if d is not None), default=0)
    places = max(places, 0)
    prev = 0
    for v, d in zip(values, decs):
        if v is None:
            out.append(0)               # absent
        elif d is None:
            out.append(1)               # NaN or an infinity, by its repr
            out += repr(v).encode()
        else:
            out.append(2)
            x = int(d.scaleb(places))   # exact: places >= the value's decimals
            varint(x - prev, out)
            prev = x


def encode_dictionary(values, out):
    words = {}
    for v in values:
        text = json.dumps(v)
        varint(words.setdefault(text, len(words)), out)
    out += json.dumps(list(words)).encode()


def encode_day(lines):
    records = [dict(flatten(json.loads(text))) for _, text in lines]
    names = list(dict.fromkeys(k for r in records for k in r))
    out = bytearray()
    varint(len(records), out)
    prev = 0
    for number, _ in lines:              # provenance: the line numbers
        varint(number - prev, out)
        prev = number
    for name in names:
        out += name.encode() + b"\0"
        values = [r.get(name) for r in records]
        if name == "timestamp":
            prev = 0
            for v in values:
                us = round(datetime.datetime.fromisoformat(v).timestamp() * 1e6)
                varint(us - prev, out)
                prev = us
        elif all(v is None or is_number(v) for v in values):
            encode_numbers(values, out)
        else:
            encode_dictionary(values, out)
    return len(zlib.compress(bytes(out), 6)) + 40


def main():
    days = defaultdict(list)
    with open(sys.argv[1], encoding="utf-8") as f:
        for number, text in enumerate(f, 1):
            days[json.loads(text)["timestamp"][:10]].append((number, text))
    total = sum(encode_day(lines) for lines in days.values())
    count = sum(len(lines) for lines in days.values())
    print("%d lines, %d days: %d bytes, %.1f bytes per line"
          % (count, len(days), total, total / count))


if __name__ == "__main__":
    main()
