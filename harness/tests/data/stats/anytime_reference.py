#!/usr/bin/python3
# Reference values for harness/tests/test_anytime.c: Waudby-Smith & Ramdas's
# hedged capital confidence sequence (JRSS-B 2024, section 4), written out
# here from the paper with the standard library only, independently of the
# C (no grid: each end is found by bisection on exact capitals).
# Regenerate:  /usr/bin/python3 anytime_reference.py > anytime_reference.txt
# Each line: NAME ALPHA [M] N X1 .. XN = VALUES...
#   capital    K+ and K- at candidate mean M after X (values in [0, 1])
#   bounds_at  the confidence set at the last time alone
#   running    the running intersection over times 1..N
#   running_pair  the same for paired differences in [-1, 1] (scaled to [0, 1])
import math
import random

C = 0.5  # truncation: bets at most C/m (above) and C/(1-m) (below)


def bets(x, alpha):
    """the predictable plug-in bet of each observation, from the ones before"""
    out = []
    s = 0.0
    ss = 0.0
    for t in range(1, len(x) + 1):
        var_prev = (0.25 + ss) / t  # (1/4 + sum_{i<t} (x_i - mu_i)^2) / ((t-1) + 1)
        out.append(math.sqrt(2 * math.log(2 / alpha) / (var_prev * t * math.log(1 + t))))
        s += x[t - 1]
        mu = (0.5 + s) / (t + 1)
        ss += (x[t - 1] - mu) ** 2
    return out


def log_capitals(x, alpha, m):
    lp = lm = 0.0
    for lam, xi in zip(bets(x, alpha), x):
        up = lam if m <= 0 else min(lam, C / m)
        dn = lam if m >= 1 else min(lam, C / (1 - m))
        lp += math.log1p(up * (xi - m))
        lm += math.log1p(-dn * (xi - m))
    return lp, lm


def crossing(f, bar, falling):
    """where f (monotone on [0, 1]) crosses bar, by bisection: the end of the
    last bracket on the side where f is above it"""
    a, b = 0.0, 1.0
    for _ in range(200):
        mid = (a + b) / 2
        if (f(mid) > bar) == falling:
            a = mid
        else:
            b = mid
    return a if falling else b


def ends(x, alpha):
    """[lo, hi] = {m : K+(m) < 2/alpha and K-(m) < 2/alpha} at the last time"""
    bar = math.log(2 / alpha)
    lo, hi = 0.0, 1.0
    if log_capitals(x, alpha, 0.0)[0] > bar:  # K+ falls with m
        lo = crossing(lambda m: log_capitals(x, alpha, m)[0], bar, True)
    if log_capitals(x, alpha, 1.0)[1] > bar:  # K- rises with m
        hi = crossing(lambda m: log_capitals(x, alpha, m)[1], bar, False)
    return lo, hi


def running(x, alpha):
    lo, hi = 0.0, 1.0
    for t in range(1, len(x) + 1):
        a, b = ends(x[:t], alpha)
        lo, hi = max(lo, a), min(hi, b)
    return lo, hi


def fmt(v):
    return repr(float(v))


def line(name, alpha, x, vals, m=None):
    head = [name, fmt(alpha)] + ([fmt(m)] if m is not None else []) + [str(len(x))]
    print(" ".join(head + [fmt(v) for v in x] + ["="] + [fmt(v) for v in vals]))


def main():
    rnd = random.Random(20261128)
    bern = [float(rnd.random() < 0.7) for _ in range(100)]
    # a provider's pass fraction over 3 samples a task
    k3 = [sum(rnd.random() < 0.55 for _ in range(3)) / 3 for _ in range(80)]
    ones = [1.0] * 30
    # paired differences of two providers' task fractions, correlated
    diffs = []
    for _ in range(120):
        z = rnd.gauss(0, 1)
        a = sum(0.6 ** 0.5 * z + 0.4 ** 0.5 * rnd.gauss(0, 1) > -0.52 for _ in range(2)) / 2
        b = sum(0.6 ** 0.5 * z + 0.4 ** 0.5 * rnd.gauss(0, 1) > -0.25 for _ in range(2)) / 2
        diffs.append(b - a)

    for m in (0.0, 0.3, 0.55, 0.7, 0.9, 1.0):
        lp, lm = log_capitals(bern[:40], 0.05, m)
        line("capital", 0.05, bern[:40], [math.exp(lp), math.exp(lm)], m)
    for m in (0.2, 0.5, 0.8):
        lp, lm = log_capitals(k3, 0.005, m)
        line("capital", 0.005, k3, [math.exp(lp), math.exp(lm)], m)

    for alpha, x in ((0.05, bern), (0.05, bern[:10]), (0.005, k3), (0.05, ones), (0.05, bern[:1])):
        line("bounds_at", alpha, x, ends(x, alpha))
    for alpha, x in ((0.05, bern), (0.005, k3), (0.05, ones)):
        line("running", alpha, x, running(x, alpha))
    for alpha in (0.05, 0.005):
        scaled = [(d + 1) / 2 for d in diffs]
        lo, hi = running(scaled, alpha)
        line("running_pair", alpha, diffs, [2 * lo - 1, 2 * hi - 1])


main()
