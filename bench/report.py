#!/usr/bin/env python3
"""Summarise the criterion results of the retry benches as markdown tables.

How to run (from the workspace root):

    cargo bench -p retry-bench --bench retry && python3 bench/report.py

Options: `python3 bench/report.py [CRITERION_DIR] [GROUP ...]`. CRITERION_DIR defaults to
`$CARGO_TARGET_DIR/criterion`, else `target/criterion` next to this script's workspace; naming
groups prints only those.

For every group found under `<criterion dir>/<group>/<bench>/new/estimates.json` it prints one
table: each bench's median time per iteration (ns) with criterion's 95% confidence interval, and
its difference to the group's baseline in ns and as a ratio.

Baseline naming convention (keep it when adding groups: circuit breakers, budgets, ...):

  * `bare`      - the operation called directly, no wrapper at all (success paths, and any group
                  where the wrapper should cost nothing on top of the plain call);
  * `hand_loop` - a hand-written loop doing the same attempts as the wrappers, with no delay
                  (paths that fail and retry, where a plain call is not the same work).

A group has exactly one of the two. `ours` is retry-runtime (`ours_*`: variants of it, such as
`ours_hooks`); other names are the peer crates. A group with no baseline is printed without the
difference columns. Add a new group's name to GROUP_ORDER below to place it; unlisted groups
print last, alphabetically.

Criterion keeps the directories of benches that no longer exist: `rm -rf target/criterion` before
a run if benches were renamed or removed. Numbers are wall-clock medians; on a loaded machine
compare the confidence intervals, not just the medians.
"""

import json
import os
import sys
from pathlib import Path

BASELINES = ("bare", "hand_loop")

# Groups print in this order; groups not listed (new benches) follow, alphabetically.
GROUP_ORDER = ("sync_success", "async_success", "sync_fail_once", "async_fail_once")


def default_dir() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return Path(target) / "criterion"
    return Path(__file__).resolve().parent.parent / "target" / "criterion"


def load_group(group_dir: Path):
    """[(bench name, median ns, lower ns, upper ns)] for every bench of the group."""
    rows = []
    for bench_dir in sorted(p for p in group_dir.iterdir() if p.is_dir()):
        estimates = bench_dir / "new" / "estimates.json"
        if not estimates.is_file():
            continue
        name = bench_dir.name
        meta = bench_dir / "new" / "benchmark.json"
        if meta.is_file():
            # The directory name is sanitised; the function id is the name as written.
            try:
                name = json.loads(meta.read_text()).get("function_id") or name
            except (OSError, ValueError):
                pass
        median = json.loads(estimates.read_text())["median"]
        ci = median["confidence_interval"]
        rows.append(
            (name, median["point_estimate"], ci["lower_bound"], ci["upper_bound"])
        )
    return rows


def group_name(group_dir: Path) -> str:
    for meta in group_dir.glob("*/new/benchmark.json"):
        try:
            return json.loads(meta.read_text()).get("group_id") or group_dir.name
        except (OSError, ValueError):
            continue
    return group_dir.name


def fmt_ns(x: float) -> str:
    if abs(x) >= 100_000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.1f}"
    return f"{x:.2f}"


def print_group(name: str, rows) -> None:
    baselines = [r for r in rows if r[0] in BASELINES]
    base = baselines[0] if baselines else None
    # Baseline first, then `ours`, then the peers fastest first.
    order = {b: i for i, b in enumerate(BASELINES)}
    rows = sorted(
        rows,
        key=lambda r: (
            0 if r[0] in order else 1 if r[0].startswith("ours") else 2,
            r[0] if r[0].startswith("ours") else "",
            r[1],
        ),
    )
    print(f"### {name}\n")
    if base:
        print(f"baseline: `{base[0]}`\n")
        print("| bench | median (ns) | 95% CI (ns) | vs baseline (ns) | ratio |")
        print("|---|---:|---:|---:|---:|")
    else:
        print("(no `bare` / `hand_loop` baseline in this group)\n")
        print("| bench | median (ns) | 95% CI (ns) |")
        print("|---|---:|---:|")
    for bench, med, lo, hi in rows:
        cells = [f"`{bench}`", fmt_ns(med), f"{fmt_ns(lo)} – {fmt_ns(hi)}"]
        if base:
            diff = med - base[1]
            ratio = med / base[1] if base[1] > 0 else float("inf")
            cells += [("+" if diff >= 0 else "") + fmt_ns(diff), f"{ratio:.2f}x"]
        print("| " + " | ".join(cells) + " |")
    print()


def main(argv) -> int:
    args = list(argv[1:])
    root = default_dir()
    if args and (Path(args[0]).is_dir() or os.sep in args[0]):
        root = Path(args.pop(0))
    wanted = set(args)
    if not root.is_dir():
        print(
            f"no criterion results in {root}: run "
            "`cargo bench -p retry-bench --bench retry` first",
            file=sys.stderr,
        )
        return 1
    found = False
    groups = [(group_name(p), p) for p in root.iterdir() if p.is_dir() and p.name != "report"]
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    groups.sort(key=lambda g: (rank.get(g[0], len(rank)), g[0]))
    for name, group_dir in groups:
        if wanted and name not in wanted and group_dir.name not in wanted:
            continue
        rows = load_group(group_dir)
        if rows:
            found = True
            print_group(name, rows)
    if not found:
        print(f"no benches found under {root}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
