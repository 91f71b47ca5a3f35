#!/usr/bin/env python3
"""The flagship scenario (scenarios/kim-eef-2023.toml) written by hand in vectorized NumPy.

This is the baseline eta is benchmarked against (bench/compare.sh, issue 7): the model an analyst
fluent in NumPy would write for this one question, with the semantics of docs/format.md.

- Vectorized: every input is one array draw per batch, every step one array expression; there is
  no Python loop over trials, only over batches.
- Batched (1,000,000 trials a batch by default) so memory stays bounded whatever the trial count.
- numpy's default Generator (PCG64) with a seed; PERT is the classic Beta(1 + 4(m-a)/(b-a),
  1 + 4(b-m)/(b-a)) on [a, b] (lambda = 4), triangular and uniform are numpy's own samplers.
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
import json
import math
import sys
import time
from datetime import datetime, timedelta, timezone

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


def iman_conover(rng, x, y, rank):
    """Reorders x and y so their rank correlation is `rank` (Iman-Conover with normal scores,
    the pair's Pearson target 2 sin(pi rank / 6)); each keeps its own values exactly. The
    scores' own sample correlation is removed first, as eta does."""
    n = x.size
    r = 2.0 * math.sin(math.pi * rank / 6.0)
    z = rng.standard_normal((2, n))
    q = np.linalg.cholesky(np.corrcoef(z))
    p = np.linalg.cholesky(np.array([[1.0, r], [r, 1.0]]))
    t = p @ np.linalg.solve(q, z)
    out = []
    for values, target in ((x, t[0]), (y, t[1])):
        ranks = np.empty(n, dtype=np.int64)
        ranks[np.argsort(target)] = np.arange(n)
        out.append(np.sort(values)[ranks])
    return out[0], out[1]


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
    dprk_speed, ru_speed = iman_conover(rng, dprk_speed, ru_speed, SPEED_RANK_CORRELATION)

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
    ap.add_argument("--batch", type=int, default=1_000_000, help="trials per batch")
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
