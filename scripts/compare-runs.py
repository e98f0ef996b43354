#!/usr/bin/env python3
"""Checks that two `rectifier run` (or `rectifier experiment NAME`) output folders hold the
same numbers: every NAME.json present in both is compared value for value, bit for bit,
leaving out the measurements of time and speed, which depend on the machine and its load.

    scripts/compare-runs.py report /tmp/second-run

Prints one line per experiment (values compared, values that differ, the first few
differing paths), each claim whose verdict or measured text differs (claims built on
wall time or kernel speed may) and each claim only one run made. Exits 1 when a number other than a timing differs, 2 on
unusable input.
"""

import json
import math
import re
import sys
from pathlib import Path

# Keys whose values are timings or speeds (seconds, ns/element, GB/s, samples/s, ratios to
# a timed copy) or chosen by timing (the faster of two copy routines).
TIMING = re.compile(r"(seconds|ns_per_element|gb_per_second|ratio_to_copy|samples_per_second|copy_method)")


def snake(key):
    """`batchSize` → `batch_size`: runs written before every key was snake_case compare."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower() if re.fullmatch(r"[A-Za-z0-9]+", key) else key


def leaves(value, path=""):
    """Yields (path, value) for every number, string, boolean and null in `value`."""
    if isinstance(value, dict):
        for key, item in value.items():
            if TIMING.search(key):
                continue
            yield from leaves(item, f"{path}/{snake(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def same(a, b):
    """Equal, with NaN equal to NaN (a diverged run records the same NaN twice)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def main(arguments):
    if len(arguments) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    first, second = (Path(argument) for argument in arguments)
    names = sorted(
        path.name for path in first.glob("*.json") if (second / path.name).is_file())
    if not names:
        print(f"no NAME.json in both {first} and {second}", file=sys.stderr)
        return 2
    failed = False
    for name in names:
        try:
            a = json.loads((first / name).read_text())
            b = json.loads((second / name).read_text())
        except (OSError, json.JSONDecodeError) as error:
            print(f"{name}: cannot read: {error}", file=sys.stderr)
            return 2
        left, right = dict(leaves(a.get("results"))), dict(leaves(b.get("results")))
        differing = [path for path in sorted(left.keys() | right.keys())
                     if path not in left or path not in right or not same(left[path], right[path])]
        failed |= bool(differing)
        shown = ", ".join(differing[:3]) + (" …" if len(differing) > 3 else "")
        print(f"{name}: {len(left)} values compared, {len(differing)} differ"
              + (f" ({shown})" if differing else ""))
        claims_a = {claim["claim"]: claim for claim in a.get("claims", [])}
        claims_b = {claim["claim"]: claim for claim in b.get("claims", [])}
        for text in sorted(claims_a.keys() ^ claims_b.keys()):
            print(f"  claim in one run only: {text[:80]}")
        for text in sorted(claims_a.keys() & claims_b.keys()):
            claim_a, claim_b = claims_a[text], claims_b[text]
            if claim_a != claim_b:
                print(f"  claim differs (timing-based?): {text[:80]}")
                print(f"    {claim_a['measured'][:110]}  [{claim_a['supported']}]")
                print(f"    {claim_b['measured'][:110]}  [{claim_b['supported']}]")
    print("same numbers" if not failed else "numbers differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
