#!/usr/bin/env python3
"""Property test of khet's Mean ± k·SD bands (issue 19): generates regions,
has khet decide every band (tests/zband_cases.c runs src/zband.c) and decides
each band again here in exact arithmetic (Python fractions), independently.

  zband_sweep.py DRIVER [--regions N] [--seed S]

Regions are built to hit what floating point gets wrong: provinces exactly on
Mean ± k·SD (two-valued regions, the issue's 4,5,5,3,3,5,3 pattern, scaled
and shifted by random rationals), equal values in any order, ties, values of
small denominators, square roots (ebitda_sd) equal, in rational ratio or not,
provinces without data, one province, both kinds of SD, k of 0.5-2 and band
tables with > and >=. Prints one line per disagreement and a summary; exit 1
on any disagreement or when the regions stop covering the boundary cases.
"""
import argparse
import math
import random
import subprocess
import sys
from decimal import Decimal, getcontext
from fractions import Fraction as F

BAND_SETS = [  # (op, bound): op 0 '>', 1 '>=', 2 otherwise
    [(0, F(1)), (1, F(-1)), (2, None)],            # the shipped scheme
    [(1, F(1)), (0, F(-1)), (2, None)],
    [(1, F(1, 2)), (1, F(0)), (0, F(-1, 2)), (2, None)],
    [(0, F(0)), (2, None)],
    [(1, F(3, 2)), (1, F(-3, 2)), (2, None)],
]
KS = [F(1), F(1, 2), F(3, 2), F(2), F(3, 4)]


def rand_frac(rng, big=False):
    den = rng.choice([1, 2, 3, 4, 6, 7, 12, 100, 3600]) if not big else rng.randint(1, 10 ** 6)
    return F(rng.randint(-5 * den, 5 * den), den)


def gen_region(rng):
    """Values of one region: a list of None, Fraction or ('root', Fraction)."""
    n = rng.choice([1, 2, 2, 3, 4, 5, 6, 7, 7, 7, 8, 9, 12, 13])
    kind = rng.randrange(8)
    a, b = rand_frac(rng), abs(rand_frac(rng)) or F(1)
    if kind == 0:    # two values, half and half: exactly ±1 under the population SD
        m = n // 2 or 1
        pat = [0] * m + [1] * (n - m)
    elif kind == 1:  # the pattern (sample SD: exactly ±1), padded with its mean
        pat = [4, 5, 5, 3, 3, 5, 3] + [4] * max(0, n - 7)
        pat = pat[:n] if n >= 7 else pat
    elif kind == 2:  # equal values
        pat = [0] * n
    elif kind == 3:  # small integers: ties and the odd exact boundary
        pat = [rng.randint(0, 3) for _ in range(n)]
    elif kind == 4:  # percentages of a few units
        den = rng.randint(1, 6)
        pat = [F(100 * rng.randint(0, den), den) for _ in range(n)]
        a, b = F(0), F(1)
    elif kind == 5:  # the population ±1 patterns of seven provinces (and a shuffled copy)
        pat = rng.choice([[1, 1, 4, 5, 5, 6, 6], [0, 0, 3, 4, 4, 5, 5], [0, 3, 3, 5, 5, 6, 6]])
    elif kind == 6:  # unrelated values of large denominators
        pat = [rand_frac(rng, True) for _ in range(n)]
        a, b = F(0), F(1)
    else:            # roots: rational multiples of one square root, or not
        r = rng.choice([F(2), F(1, 3), F(7, 100), F(1)])
        pat = [rng.randint(0, 3) for _ in range(n)]
        mixed = rng.random() < 0.3
        vals = [("root", F(p * p) * (r if not mixed or i % 2 else F(3)) / 10000) for i, p in enumerate(pat)]
        rng.shuffle(vals)
        return [None if rng.random() < 0.1 else v for v in vals]
    vals = [a + b * F(p) for p in pat]
    rng.shuffle(vals)
    return [None if n > 2 and rng.random() < 0.08 else v for v in vals]


def as_fractions(vals):
    """Rationals as they are; roots scaled by one of them (z is unchanged when
    every value is multiplied by the same positive number); None if a ratio
    of roots is irrational."""
    if not any(isinstance(v, tuple) for v in vals):
        return vals
    ref = next((v[1] for v in vals if v[1] != 0), None)
    if ref is None:
        return [F(0)] * len(vals)
    out = []
    for v in vals:
        q = v[1] / ref
        a, b = math.isqrt(q.numerator), math.isqrt(q.denominator)
        if a * a != q.numerator or b * b != q.denominator:
            break
        out.append(F(a, b))
    else:
        return out
    # z is unchanged by x -> a + b x (b > 0): two distinct values become 0 and 1
    distinct = sorted({v[1] for v in vals})
    return [F(distinct.index(v[1])) for v in vals] if len(distinct) == 2 else None


def zs_exact(xs, sample, k, lower):
    """(z², sign) per value, exactly; None when the SD is undefined."""
    n = len(xs)
    if n < (2 if sample else 1):
        return None
    m = sum(xs, F(0)) / n
    var = sum(((x - m) ** 2 for x in xs), F(0)) / (n - 1 if sample else n)
    out = []
    for x in xs:
        d = (m - x) if lower else (x - m)
        if var == 0:
            out.append((F(0), 0))
        else:
            out.append((d * d / (k * k * var), (d > 0) - (d < 0)))
    return out


def zs_decimal(vals, sample, k, lower):
    getcontext().prec = 120
    xs = [Decimal(v[1].numerator).sqrt() / Decimal(v[1].denominator).sqrt() for v in vals]
    n = len(xs)
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1 if sample else n)
    kd = Decimal(k.numerator) / Decimal(k.denominator)
    out = []
    for x in xs:
        d = (m - x) if lower else (x - m)
        z = d / (kd * var.sqrt())
        out.append((F(z * z), (z > 0) - (z < 0)))
    return out


def at_least(z2, sign, bound, strict):
    if sign >= 0 and bound <= 0:
        return not strict or sign > 0 or bound < 0
    if sign >= 0:
        return z2 > bound * bound or (not strict and z2 == bound * bound)
    if bound >= 0:
        return False
    return z2 < bound * bound or (not strict and z2 == bound * bound)


def expected(vals, sample, k, lower, bands):
    have = [v for v in vals if v is not None]
    xs = as_fractions(have)
    zs = zs_exact(xs, sample, k, lower) if xs is not None else \
        (zs_decimal(have, sample, k, lower) if len(have) >= (2 if sample else 1) else None)
    defined = zs is not None
    out, it, hits = [], iter(zs or []), 0
    for v in vals:
        if v is None or not defined:  # no value, or too few for the SD: no band
            out.append(-1)
            continue
        z2, sign = next(it)
        for i, (op, bound) in enumerate(bands):
            if bound is not None and z2 == bound * bound and (sign > 0) == (bound > 0) and bound != 0:
                hits += 1
            if op == 2 or at_least(z2, sign, bound, op == 0):
                out.append(i)
                break
    return defined, out, hits


def line_of(vals, sample, k, lower, bands):
    parts = [str(int(sample)), str(k.numerator * 10000 // k.denominator), str(int(lower)), str(len(bands))]
    for op, bound in bands:
        parts += [str(op), str(0 if bound is None else bound.numerator * 10000 // bound.denominator)]
    parts.append(str(len(vals)))
    for v in vals:
        if v is None:
            parts += ["0", "0", "1"]
        elif isinstance(v, tuple):
            parts += ["2", str(v[1].numerator), str(v[1].denominator)]
        else:
            parts += ["1", str(v.numerator), str(v.denominator)]
    return " ".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("driver")
    ap.add_argument("--regions", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=19)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    cases = []
    for _ in range(a.regions):
        vals = gen_region(rng)
        cases.append((vals, rng.random() < 0.5, rng.choice(KS), rng.random() < 0.5, rng.choice(BAND_SETS)))
    # and always: two roots of no rational ratio, half and half, under the
    # population SD: every province exactly on Mean ± 1SD whatever the roots
    for i, (p, q) in enumerate([(2, 3), (3, 5), (5, 7), (2, 7), (6, 10), (11, 13), (1, 2), (7, 3)]):
        n = 2 * (1 + i % 4)
        vals = [("root", F(p, 10 ** (i % 5))), ("root", F(q, 10 ** (i % 3)))] * (n // 2)
        cases.append((vals, False, F(1), i % 2 == 1, BAND_SETS[0]))
    text = "\n".join(line_of(*c) for c in cases) + "\n"
    run = subprocess.run([a.driver], input=text, capture_output=True, text=True)
    if run.returncode:
        print(f"zband sweep: the driver failed ({run.returncode}): {run.stderr.strip()}")
        return 1
    got = run.stdout.splitlines()
    bad = compared = hits = ties = undefined = 0
    for i, (c, g) in enumerate(zip(cases, got)):
        defined, want, h = expected(*c)
        hits += h
        have = [v for v in c[0] if v is not None]
        ties += len(have) - len({repr(v) for v in have})
        undefined += not defined
        g = [int(x) for x in g.split()]
        compared += len(want)
        if g[0] != int(defined) or g[1:] != want:
            bad += 1
            print(f"region {i + 1}: {line_of(*c)}\n  khet {g}\n  want {[int(defined)] + want}")
    if len(got) != len(cases):
        print(f"zband sweep: {len(got)} answers for {len(cases)} regions")
        bad += 1
    print(f"zband sweep: {a.regions} regions, {compared} bands compared, {bad} disagree "
          f"(with {len(cases) - a.regions} fixed regions of two irrational roots); "
          f"{hits} exactly on a boundary, {ties} tied values, {undefined} without an SD")
    # the sweep must keep hitting what it is for
    return 1 if bad or hits < a.regions // 10 or ties < a.regions or undefined < 1 else 0


if __name__ == "__main__":
    sys.exit(main())
