#!/usr/bin/env bash
# Side-by-side benchmark of eta against the hand-written NumPy model of the flagship scenario
# (numpy-comparison/numpy_flagship.py), issue 7. See numpy-comparison/README.md.
#
#   numpy-comparison/compare.sh           # 10,000,000 trials side by side, eta alone at 100,000,000
#   numpy-comparison/compare.sh --quick   # 10x fewer trials everywhere: a smoke run
#
# Needs: a Rust toolchain, python3 with numpy (numpy-comparison/requirements.txt), /usr/bin/time (GNU).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCALE=1
for arg in "$@"; do
    case "$arg" in
        --quick) SCALE=10 ;;
        -h | --help)
            sed -n '2,9p' "${BASH_SOURCE[0]}"
            exit 0
            ;;
        *)
            echo "unknown option: $arg (try --quick)" >&2
            exit 2
            ;;
    esac
done

SCENARIO=scenarios/kim-eef-2023.toml
ETA=target/release/eta
SIDE_TRIALS=$((10000000 / SCALE))
BIG_TRIALS=$((100000000 / SCALE))
ROUNDS=3
LATENCY_RUNS=5

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---- helpers --------------------------------------------------------------------------------
# timed LABEL CMD...: runs CMD under GNU time; appends "wall_s peak_kib" to $TMP/LABEL.times.
timed() {
    local label=$1
    shift
    /usr/bin/time -f '%e %M' -o "$TMP/time.out" "$@"
    tail -n 1 "$TMP/time.out" >>"$TMP/$label.times"
}
# now_ns: a monotonic-enough wall clock in nanoseconds, for the short latency runs.
now_ns() { date +%s%N; }
# stats FILE: "best median max_rss" of a .times file (wall s, peak KiB).
stats() {
    python3 - "$1" <<'EOF'
import sys, statistics
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
walls = sorted(r[0] for r in rows)
print(f"{walls[0]:.2f} {statistics.median(walls):.2f} {max(int(r[1]) for r in rows)}")
EOF
}
fmt_int() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

# ---- the machine ------------------------------------------------------------------------------
echo "# eta vs NumPy, flagship scenario ($SCENARIO)"
echo
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "memory:   $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before the build)"
echo "rustc:    $(rustc --version)"
echo "python:   $(python3 --version 2>&1 | cut -d' ' -f2), numpy $(python3 -c 'import numpy; print(numpy.__version__)')"
if git rev-parse --git-dir >/dev/null 2>&1; then
    dirty=$(git status --porcelain --untracked-files=no -- src Cargo.toml Cargo.lock | wc -l)
    echo "eta:      commit $(git rev-parse --short HEAD)$([ "$dirty" -gt 0 ] && echo " + $dirty uncommitted file(s) in src/Cargo")"
fi
echo "mode:     $([ "$SCALE" = 1 ] && echo full || echo "--quick (10x fewer trials)")"
echo

# ---- build ------------------------------------------------------------------------------------
echo "building eta (cargo build --release)..." >&2
cargo build --release --quiet
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (after the build)"
echo

# ---- side by side -----------------------------------------------------------------------------
echo "## Side by side, $(fmt_int "$SIDE_TRIALS") trials, $ROUNDS rounds alternating (eta, numpy, eta --threads 1)"
echo
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS..." >&2
    rm -rf "$TMP/eta-out"
    timed eta "$ETA" run "$SCENARIO" --trials "$SIDE_TRIALS" --no-charts --quiet --out "$TMP/eta-out"
    timed numpy python3 numpy-comparison/numpy_flagship.py --trials "$SIDE_TRIALS" >"$TMP/numpy.json"
    rm -rf "$TMP/eta1-out"
    timed eta1 "$ETA" run "$SCENARIO" --trials "$SIDE_TRIALS" --no-charts --quiet --threads 1 --out "$TMP/eta1-out"
done
read -r eta_best eta_med eta_rss <<<"$(stats "$TMP/eta.times")"
read -r np_best np_med np_rss <<<"$(stats "$TMP/numpy.times")"
read -r eta1_best eta1_med eta1_rss <<<"$(stats "$TMP/eta1.times")"
np_self=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["wall_seconds"])' "$TMP/numpy.json")

python3 - "$eta_best" "$eta_med" "$eta_rss" "$np_best" "$np_med" "$np_rss" \
    "$eta1_best" "$eta1_med" "$eta1_rss" "$np_self" "$SIDE_TRIALS" <<'EOF'
import sys
eb, em, er, nb, nm, nr, e1b, e1m, e1r, nself, trials = sys.argv[1:]
eb, em, nb, nm, e1b, e1m, nself = map(float, (eb, em, nb, nm, e1b, e1m, nself))
trials = int(trials)
def row(name, best, med, rss):
    rate = trials / best / 1e6
    print(f"| {name} | {best:.2f} | {med:.2f} | {rate:.1f} | {int(rss)/1024:.1f} |")
print("| program (whole process) | best wall s | median wall s | M trials/s (best) | peak RSS MiB |")
print("|---|---:|---:|---:|---:|")
row("eta (2 threads)", eb, em, er)
row("numpy", nb, nm, nr)
row("eta --threads 1 (reference)", e1b, e1m, e1r)
print()
print(f"ratio numpy/eta, best:   {nb / eb:.2f}x")
print(f"ratio numpy/eta, median: {nm / em:.2f}x")
print(f"ratio numpy/(eta --threads 1), best: {nb / e1b:.2f}x")
print(f"numpy's own timer (last run, excludes interpreter start and import numpy): {nself:.2f} s")
EOF
echo

# ---- the answers ------------------------------------------------------------------------------
echo "## Answers ($(fmt_int "$SIDE_TRIALS") trials)"
echo
python3 - "$TMP/eta-out/summary.json" "$TMP/numpy.json" "$TMP/eta1-out/summary.json" <<'EOF'
import json, math, sys
from datetime import datetime

eta = json.load(open(sys.argv[1]))
npy = json.load(open(sys.argv[2]))
eta1 = json.load(open(sys.argv[3]))
Z = 1.959964

def ts(s):
    return datetime.fromisoformat(s).timestamp()

dl = eta["deadlines"][0]
fefu = next(m for m in eta["milestones"] if m["id"] == "fefu")
n_e, n_n = eta["trials"], npy["trials"]
p_e, p_n = dl["probability"], npy["deadline"]["probability"]
se_p = math.hypot(math.sqrt(p_e * (1 - p_e) / n_e), math.sqrt(p_n * (1 - p_n) / n_n))
print("| | eta | numpy |")
print("|---|---|---|")
print(f"| P(at FEFU by 12 Sep 15:00) | {p_e:.5f} [{dl['ci95'][0]:.5f}, {dl['ci95'][1]:.5f}] "
      f"| {p_n:.5f} [{npy['deadline']['ci95'][0]:.5f}, {npy['deadline']['ci95'][1]:.5f}] |")
print(f"| FEFU reached | {fefu['reached']:.5f} | {npy['fefu']['reached']:.5f} |")
for q in ("p10", "p50", "p90"):
    lo, hi = fefu["quantiles_ci95"][q]
    nlo, nhi = npy["fefu"]["quantiles_ci95"][q]
    print(f"| FEFU {q} | {fefu['quantiles'][q]} [{lo[11:19]}, {hi[11:19]}] "
          f"| {npy['fefu']['quantiles'][q]} [{nlo[11:19]}, {nhi[11:19]}] |")
print(f"| FEFU mean | {fefu['mean']} | {npy['fefu']['mean']} |")
print()

ok = True
d = p_e - p_n
good = abs(d) <= 4 * se_p
ok &= good
print(f"P(deadline): difference {d:+.5f}, 4 combined SE = {4 * se_p:.5f} -> "
      f"{'AGREE' if good else 'DISAGREE'}")
r_e, r_n = fefu["reached"], npy["fefu"]["reached"]
se_r = math.hypot(math.sqrt(r_e * (1 - r_e) / n_e), math.sqrt(r_n * (1 - r_n) / n_n))
good = abs(r_e - r_n) <= 4 * se_r
ok &= good
print(f"FEFU reached: difference {r_e - r_n:+.5f}, 4 combined SE = {4 * se_r:.5f} -> "
      f"{'AGREE' if good else 'DISAGREE'}")
# Percentiles: the standard error of each tool's percentile is read off its own distribution-free
# 95% interval (half-width / 1.96); the tolerance is 4 combined SE plus 60 s for eta's one-minute
# histogram bins (numpy's are one second).
for q in ("p10", "p50", "p90"):
    lo, hi = map(ts, fefu["quantiles_ci95"][q])
    nlo, nhi = map(ts, npy["fefu"]["quantiles_ci95"][q])
    se = math.hypot((hi - lo) / (2 * Z), (nhi - nlo) / (2 * Z))
    tol = 4 * se + 60
    diff = ts(fefu["quantiles"][q]) - ts(npy["fefu"]["quantiles"][q])
    good = abs(diff) <= tol
    ok &= good
    print(f"FEFU {q}: difference {diff / 60:+.1f} min, tolerance {tol / 60:.1f} min "
          f"(4 combined SE + 1 min resolution) -> {'AGREE' if good else 'DISAGREE'}")
# Mean: eta's 95% interval of the mean gives its SE; numpy's is the same to within Monte Carlo
# error (same model, same trial count), so the combined SE is sqrt(2) times it.
lo, hi = map(ts, fefu["mean_ci95"])
se = math.sqrt(2) * (hi - lo) / (2 * Z)
diff = ts(fefu["mean"]) - ts(npy["fefu"]["mean"])
good = abs(diff) <= 4 * se + 1
ok &= good
print(f"FEFU mean: difference {diff / 60:+.1f} min, tolerance {(4 * se + 1) / 60:.1f} min "
      f"(4 combined SE) -> {'AGREE' if good else 'DISAGREE'}")
same = eta1["deadlines"] == eta["deadlines"] and eta1["milestones"] == eta["milestones"]
print(f"eta --threads 1 gives the same deadlines and milestones as 2 threads: {same}")
print()
print("verdict: " + ("eta and numpy agree within Monte Carlo error" if ok
                     else "eta and numpy DISAGREE beyond Monte Carlo error"))
EOF
echo

# ---- eta alone at 100M ------------------------------------------------------------------------
echo "## eta alone, $(fmt_int "$BIG_TRIALS") trials (--no-charts --quiet), one run"
echo
echo "running eta at $BIG_TRIALS trials..." >&2
rm -rf "$TMP/eta-big"
timed big "$ETA" run "$SCENARIO" --trials "$BIG_TRIALS" --no-charts --quiet --out "$TMP/eta-big"
read -r big_wall _ big_rss <<<"$(stats "$TMP/big.times")"
python3 -c 'import sys; w,r,n=float(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]); print(f"wall {w:.2f} s ({n/w/1e6:.1f} M trials/s), peak RSS {r/1024:.1f} MiB ({r} KiB)")' \
    "$big_wall" "$big_rss" "$BIG_TRIALS"
echo

# ---- latency ----------------------------------------------------------------------------------
if [ "$SCALE" = 1 ]; then
    default_cmd=("$ETA" run "$SCENARIO" --out "$TMP/default")
    default_desc="$ETA run $SCENARIO --out DIR   (scenario default 1,000,000 trials, all charts)"
else
    default_cmd=("$ETA" run "$SCENARIO" --out "$TMP/default" --trials $((1000000 / SCALE)))
    default_desc="$ETA run $SCENARIO --out DIR --trials $((1000000 / SCALE))   (--quick; all charts)"
fi
echo "## Latency, best of $LATENCY_RUNS (whole process, wall clock)"
echo
best_default=""
for _ in $(seq 1 "$LATENCY_RUNS"); do
    rm -rf "$TMP/default"
    t0=$(now_ns)
    "${default_cmd[@]}" >/dev/null
    t1=$(now_ns)
    ms=$(((t1 - t0) / 1000000))
    if [ -z "$best_default" ] || [ "$ms" -lt "$best_default" ]; then best_default=$ms; fi
done
best_check=""
for _ in $(seq 1 "$LATENCY_RUNS"); do
    t0=$(now_ns)
    "$ETA" check "$SCENARIO" >/dev/null
    t1=$(now_ns)
    ms=$(((t1 - t0) / 1000000))
    if [ -z "$best_check" ] || [ "$ms" -lt "$best_check" ]; then best_check=$ms; fi
done
echo "default run: ${best_default} ms   $default_desc"
echo "eta check:   ${best_check} ms   $ETA check $SCENARIO"
echo
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (at the end)"
