#!/usr/bin/env python3
"""The flagship scenario (scenarios/kim-eef-2023.toml) written by hand in vectorized NumPy.

This is the baseline eta is benchmarked against (numpy-comparison/compare.sh, issue 7): the model an analyst
fluent in NumPy would write for this one question, with the semantics of eta's scenario format (the "Format" section of README.md).

- Vectorized: every input is one array draw per batch, every step one array expression; there is
  no Python loop over trials, only over batches.
- Batched (1,001,472 = 489 x 2,048 trials a batch by default) so memory stays bounded whatever
  the trial count.
- numpy's default Generator (PCG64) with a seed; PERT is the classic Beta(1 + 4(m-a)/(b-a),
  1 + 4(b-m)/(b-a)) on [a, b] (lambda = 4), triangular and uniform are numpy's own samplers.
- The scenario's rank correlation (dprk_speed ~ ru_speed, 0.5) is imposed by Iman-Conover, the
  method eta documents, within each block of 2,048 trials as eta does (blocks, not whole batches:
  sorting 2,048 values at a time, vectorized over the blocks, costs about half as much as
  sorting a million, and it is the same method as eta's, so the answers are comparable).
- Times are float64 seconds since the Unix epoch (UTC). Zones are FIXED OFFSETS: Asia/Pyongyang
  UTC+9 and Asia/Vladivostok UTC+10, which is what both zones were throughout September 2023 (no
  DST in either), so no time-zone database is needed.
- The FEFU arrival is accumulated into a one-second histogram (constant size, merged across
  batches); its percentiles are read from it with linear interpolation inside a bin, the same
  rank convention as eta (whose bins are one minute wide). The 95% interval of a percentile is
  the distribution-free order-statistic interval (ranks n*p -+ 1.96*sqrt(n*p*(1-p))), as eta's.

Output: one JSON object on stdout. `wall_seconds` is measured by the script itself, from before
the first draw to after the last summary (it excludes interpreter start-up and `import numpy`,
which an outside timer such as /usr/bin/time includes).
"""

import argparse
import functools
import json
import math
import sys
import time
from datetime import datetime, timedelta, timezone
from statistics import NormalDist

import numpy as np

HOUR = 3600.0
MINUTE = 60.0
PYONGYANG = timezone(timedelta(hours=9))  # Asia/Pyongyang in 2023: fixed UTC+9
VLADIVOSTOK = timezone(timedelta(hours=10))  # Asia/Vladivostok: fixed UTC+10, no DST
VLAD_OFFSET = 10 * HOUR

Z95 = 1.959964


def epoch(dt: datetime) -> float:
    return dt.timestamp()


def rfc3339(t: float) -> str:
    """An epoch second shown in Vladivostok time, to the second, like eta's summary.json."""
    return datetime.fromtimestamp(round(t), VLADIVOSTOK).isoformat()


# ---- the scenario's inputs (scenarios/kim-eef-2023.toml), in base units: s, km, km/h ----------
DEPARTURE_DAYS = np.array(
    [epoch(datetime(2023, 9, d, tzinfo=PYONGYANG)) for d in (10, 11)]
)  # local midnights in Pyongyang, as instants
DEPARTURE_WEIGHTS = np.array([0.5, 0.5])
DEPARTURE_TIME = (4 * HOUR, 20 * HOUR)  # uniform, Pyongyang local time of day
SCHEDULE_CHANGE_P = 0.3
SCHEDULE_CHANGE_DELAY = (1 * HOUR, 4 * HOUR, 24 * HOUR)  # PERT
DIST_PYONGYANG_RAJIN = 819.0
DIST_RAJIN_TUMANGANG = 51.0
DPRK_SPEED = (35.0, 50.0, 65.0)  # PERT km/h
TUMANGANG_STOP = (10 * MINUTE, 20 * MINUTE, 1 * HOUR)  # PERT
BRIDGE_DISTANCE = 2.2
BRIDGE_SPEED = (5.0, 10.0, 20.0)  # PERT km/h
CEREMONY = (40 * MINUTE, 1 * HOUR, 2 * HOUR)  # triangular
CEREMONY_NOT_BEFORE = 6 * HOUR  # 06:00 local at Khasan (Vladivostok time)
BOGIE_EXCHANGE = (40 * MINUTE, 1 * HOUR, 4 * HOUR)  # PERT
DIST_KHASAN_BARANOVSKY = 238.0
DIST_BARANOVSKY_VLADIVOSTOK = 89.0
RU_SPEED = (40.0, 53.0, 65.0)  # PERT km/h
VENUE_TRANSFER = (20 * MINUTE, 40 * MINUTE, 2 * HOUR)  # PERT
DIST_BARANOVSKY_USSURIYSK = 20.0
DIST_USSURIYSK_VOSTOCHNY = 1500.0
P_DISCLOSED = 0.85  # route probabilities: disclosed 0.85, surprise 0.15

DEADLINE = epoch(datetime(2023, 9, 12, 15, 0, tzinfo=VLADIVOSTOK))

# FEFU histogram: one-second bins from a reference before any possible arrival.
HIST_REFERENCE = epoch(datetime(2023, 9, 9, tzinfo=timezone.utc))
HIST_SPAN = 10 * 86_400  # grows if ever exceeded


def pert(rng, lo, mode, hi, n, lam=4.0):
    """PERT(min, mode, max) with lambda = 4: min + (max - min) * Beta(alpha, beta)."""
    span = hi - lo
    a = 1.0 + lam * (mode - lo) / span
    b = 1.0 + lam * (hi - mode) / span
    x = rng.beta(a, b, n)
    x *= span
    x += lo
    return x


SPEED_RANK_CORRELATION = 0.5  # [[correlations]] dprk_speed ~ ru_speed, rank 0.5
CHUNK = 2048  # Iman-Conover block, as eta's chunk


@functools.lru_cache(maxsize=4)
def van_der_waerden(n):
    """Phi^-1(i / (n + 1)), i = 1..n: the normal scores Iman-Conover reorders by."""
    inv = NormalDist().inv_cdf
    return np.array([inv(i / (n + 1)) for i in range(1, n + 1)])


def iman_conover_blocks(rng, x, y, rank):
    """Reorders x and y (both of shape (blocks, b)) within each block so that their rank
    correlation is `rank`: Iman-Conover (1982) with van der Waerden scores in random order, the
    scores' own sample correlation removed, Pearson target 2 sin(pi rank / 6). Every value is
    kept, only moved, so both marginals stay exact. Vectorized over the blocks."""
    blocks, b = x.shape
    if b < 3:
        return x, y
    scores = van_der_waerden(b)
    r = 2.0 * math.sin(math.pi * rank / 6.0)
    s = rng.permuted(np.broadcast_to(scores, (2, blocks, b)), axis=2)
    c = np.einsum("kb,kb->k", s[0], s[1]) / np.dot(scores, scores)  # sample corr, per block
    # T = P Q^-1 S for 2 columns (P, Q the Cholesky factors of the target and sample matrices):
    t1 = r * s[0] + math.sqrt(1 - r * r) * (s[1] - c[:, None] * s[0]) / np.sqrt(1 - c * c)[:, None]
    out = []
    for values, target in ((x, s[0]), (y, t1)):
        moved = np.empty_like(values)
        np.put_along_axis(moved, np.argsort(target, axis=1), np.sort(values, axis=1), axis=1)
        out.append(moved)
    return out[0], out[1]


def correlate(rng, x, y, rank, chunk=CHUNK):
    """Iman-Conover within each run of `chunk` trials (the last one may be shorter)."""
    full = x.size // chunk * chunk
    x[:full], y[:full] = (
        a.ravel()
        for a in iman_conover_blocks(rng, x[:full].reshape(-1, chunk), y[:full].reshape(-1, chunk), rank)
    )
    if full < x.size:
        tx, ty = iman_conover_blocks(rng, x[full:][None, :], y[full:][None, :], rank)
        x[full:], y[full:] = tx[0], ty[0]
    return x, y


def simulate_batch(rng, n):
    """One batch of n trials. Returns (fefu arrival in epoch seconds, NaN where not reached),
    and the Vostochny arrival (NaN where not reached) so the whole model is evaluated."""
    # 1. every named input drawn once per trial; one route chosen per trial
    day = DEPARTURE_DAYS[np.searchsorted(np.cumsum(DEPARTURE_WEIGHTS), rng.random(n), side="right")]
    time_of_day = rng.uniform(*DEPARTURE_TIME, n)
    delay_happens = rng.random(n) < SCHEDULE_CHANGE_P
    delay = pert(rng, *SCHEDULE_CHANGE_DELAY, n)
    dprk_speed = pert(rng, *DPRK_SPEED, n)
    tumangang_stop = pert(rng, *TUMANGANG_STOP, n)
    bridge_speed = pert(rng, *BRIDGE_SPEED, n)
    ceremony = rng.triangular(*CEREMONY, n)
    bogie = pert(rng, *BOGIE_EXCHANGE, n)
    ru_speed = pert(rng, *RU_SPEED, n)
    venue_transfer = pert(rng, *VENUE_TRANSFER, n)
    disclosed = rng.random(n) < P_DISCLOSED
    dprk_speed, ru_speed = correlate(rng, dprk_speed, ru_speed, SPEED_RANK_CORRELATION)

    # 2-3. milestones in dependency order (all steps before Baranovsky are on every route)
    t = day + time_of_day  # planned_departure (start: local date + time in Pyongyang)
    t += np.where(delay_happens, delay, 0.0)  # pyongyang: schedule-change delay
    t += (DIST_PYONGYANG_RAJIN + DIST_RAJIN_TUMANGANG) * HOUR / dprk_speed  # rajin, tumangang
    t += tumangang_stop  # border
    t += BRIDGE_DISTANCE * HOUR / bridge_speed  # khasan
    khasan = t

    # join at khasan_departure: ceremony (not before 06:00 local on the day it is ready) and
    # bogie exchange (starts at arrival); the train leaves when both are done.
    local_tod = np.mod(khasan + VLAD_OFFSET, 86_400.0)
    ceremony_start = khasan + np.maximum(CEREMONY_NOT_BEFORE - local_tod, 0.0)
    t = np.maximum(ceremony_start + ceremony, khasan + bogie)  # khasan_departure

    t += DIST_KHASAN_BARANOVSKY * HOUR / ru_speed  # baranovsky
    baranovsky = t
    # disclosed route: Vladivostok station, then FEFU; the surprise route never reaches them
    fefu = baranovsky + DIST_BARANOVSKY_VLADIVOSTOK * HOUR / ru_speed + venue_transfer
    fefu[~disclosed] = np.nan
    # surprise route: Ussuriysk, Vostochny (computed so both tools evaluate the same model)
    vostochny = baranovsky + (DIST_BARANOVSKY_USSURIYSK + DIST_USSURIYSK_VOSTOCHNY) * HOUR / ru_speed
    vostochny[disclosed] = np.nan
    return fefu, vostochny


def wilson(k, n, z=Z95):
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def at_rank(cumulative, rank):
    """The instant with `rank` trials before it, interpolating uniformly inside a 1 s bin."""
    count = cumulative[-1]
    rank = min(max(rank, 0.0), float(count))
    i = int(np.searchsorted(cumulative, rank, side="left"))  # first bin with cum >= rank
    before = cumulative[i - 1] if i > 0 else 0
    inside = (rank - before) / (cumulative[i] - before)
    return HIST_REFERENCE + i + inside


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20230907)
    ap.add_argument("--batch", type=int, default=489 * CHUNK, help="trials per batch (a multiple of 2,048)")
    args = ap.parse_args(argv)

    start = time.perf_counter()
    rng = np.random.default_rng(args.seed)  # PCG64
    hist = np.zeros(HIST_SPAN, dtype=np.int64)
    made = reached = reached_vostochny = 0
    fefu_sum = 0.0
    done = 0
    while done < args.trials:
        n = min(args.batch, args.trials - done)
        fefu, vostochny = simulate_batch(rng, n)
        ok = ~np.isnan(fefu)
        arrivals = fefu[ok]
        reached += arrivals.size
        made += int(np.count_nonzero(arrivals <= DEADLINE))
        reached_vostochny += int(np.count_nonzero(~np.isnan(vostochny)))
        fefu_sum += float(np.sum(arrivals - HIST_REFERENCE))
        bins = np.floor(arrivals - HIST_REFERENCE).astype(np.int64)
        if bins.size and bins.min() < 0:
            sys.exit("an arrival fell before the histogram reference")
        counts = np.bincount(bins, minlength=hist.size)
        if counts.size > hist.size:
            hist = np.concatenate([hist, np.zeros(counts.size - hist.size, dtype=np.int64)])
        hist += counts
        done += n

    cumulative = np.cumsum(hist)
    quantiles, quantiles_ci95 = {}, {}
    for name, p in (("p10", 0.10), ("p50", 0.50), ("p90", 0.90)):
        half = Z95 * math.sqrt(reached * p * (1 - p))
        quantiles[name] = rfc3339(at_rank(cumulative, p * reached))
        quantiles_ci95[name] = [
            rfc3339(at_rank(cumulative, math.floor(reached * p - half))),
            rfc3339(at_rank(cumulative, math.ceil(reached * p + half))),
        ]
    wall = time.perf_counter() - start

    out = {
        "implementation": "numpy",
        "numpy_version": np.__version__,
        "trials": args.trials,
        "seed": args.seed,
        "batch": args.batch,
        "deadline": {
            "at": rfc3339(DEADLINE),
            "milestone": "fefu",
            "probability": made / args.trials,
            "ci95": list(wilson(made, args.trials)),
            "made": made,
        },
        "fefu": {
            "reached": reached / args.trials,
            "quantiles": quantiles,
            "quantiles_ci95": quantiles_ci95,
            "mean": rfc3339(HIST_REFERENCE + fefu_sum / reached) if reached else None,
            "resolution_seconds": 1,
        },
        "vostochny_reached": reached_vostochny / args.trials,
        "wall_seconds": round(wall, 3),
    }
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
