"""Monte Carlo at 100,000 runs against the engine before the judge's rewrite, in one run.

The floor, measured in the same run: the original engine at commit 6b3c563 (the vectorised
simulation before the turn step moved into `game.engine.step`), extracted with `git archive`
into a temporary folder and imported from there in its own processes. Each process plays the
first level of its own tree's campaign (the same level, as each version wrote it), warms up
with 1,000 runs, then times `simulate` at 100,000 runs with seed 1. Old and new processes
alternate so machine load hits both alike; medians are compared.

1. Speed: runs per CPU second (`time.process_time` of the measuring process: the machine is
   shared, and wall time would measure the neighbours). Target: the game's rate at least 0.8x
   the original engine's.
2. Memory: the peak resident size of the whole process (`VmHWM`, interpreter, numpy and the
   catalog included) at 100,000 runs. Target: under 150 MiB. For information, the peak that
   `tracemalloc` sees during the call alone, and the same for the original engine.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = "6b3c563"  # the engine before the batched turn step
RUNS = 100_000
ROUNDS = 5
TARGET_RATE = 0.8
TARGET_PEAK_MIB = 150.0

CHILD = """
import inspect, json, sys, time, tracemalloc
from pathlib import Path
import game
from game.analysis.montecarlo import simulate
from game.engine.catalog import load_catalog
# the old engine fetched the catalog itself; the new one has it passed in
extra = {"catalog": load_catalog()} if "catalog" in inspect.signature(simulate).parameters else {}
from game.scenario.campaign import load_campaign
runs, traced = int(sys.argv[1]), sys.argv[2] == "traced"
campaign = load_campaign(Path("scenarios/campaign.yaml"))
level = next(lvl.scenario for lvl in campaign.levels if lvl.scenario is not None)
simulate(level, runs=1_000, seed=1, **extra)
if traced:
    tracemalloc.start()
start = time.process_time()
result = simulate(level, runs=runs, seed=1, **extra)
cpu = time.process_time() - start
traced_peak = tracemalloc.get_traced_memory()[1] if traced else 0
status = Path("/proc/self/status").read_text(encoding="ascii")
peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
print(json.dumps({
    "module": game.__file__, "level": level.id, "cpu": cpu, "peak_mib": peak / 1024,
    "traced_mib": traced_peak / 2**20, "mean_turns": result.mean_turns, "runs": result.runs,
}))
"""


def measure(tree: Path, traced: bool = False) -> dict[str, float | str]:
    """One process importing `game` from `tree`, playing RUNS runs."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # cached bytecode, as on any installed Python
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(RUNS), "traced" if traced else "plain"],
        cwd=tree, capture_output=True, text=True, env=env, check=False, timeout=600,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"the Monte Carlo child in {tree} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    # the editable install must not shadow the tree under test
    if not str(result["module"]).startswith(str(tree)):
        raise SystemExit(f"imported {result['module']}, not the game in {tree}")
    return result


def extract_original(folder: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", ORIGINAL, "game", "scenarios"],
        cwd=ROOT, capture_output=True, check=True,
    )  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="htl-bench-mc-") as folder:
        old_tree = extract_original(Path(folder))
        old: list[dict[str, float | str]] = []
        new: list[dict[str, float | str]] = []
        for _ in range(ROUNDS):
            old.append(measure(old_tree))
            new.append(measure(ROOT))
        old_traced = measure(old_tree, traced=True)
        new_traced = measure(ROOT, traced=True)

    def rate(samples: list[dict[str, float | str]]) -> float:
        return statistics.median(RUNS / float(s["cpu"]) for s in samples)

    def peak(samples: list[dict[str, float | str]]) -> float:
        return max(float(s["peak_mib"]) for s in samples)

    old_rate, new_rate = rate(old), rate(new)
    ratio = new_rate / old_rate
    new_peak = peak(new)
    print(
        f"Monte Carlo, {RUNS:,} runs of '{new[0]['level']}', seed 1: median of {ROUNDS} "
        "alternating processes each (CPU time)"
    )
    print(
        f"  original engine ({ORIGINAL})  {old_rate:9,.0f} runs/s  "
        f"peak {peak(old):6.1f} MiB (process), {float(old_traced['traced_mib']):6.1f} MiB "
        f"(tracemalloc)  mean turns {old[0]['mean_turns']}"
    )
    print(
        f"  batched engine            {new_rate:9,.0f} runs/s  "
        f"peak {new_peak:6.1f} MiB (process), {float(new_traced['traced_mib']):6.1f} MiB "
        f"(tracemalloc)  mean turns {new[0]['mean_turns']}"
    )
    print(f"  rate ratio                {ratio:9.2f}x")
    rate_ok = ratio >= TARGET_RATE
    peak_ok = new_peak < TARGET_PEAK_MIB
    print(f"  {'meets' if rate_ok else 'MISSES'} the target: >= {TARGET_RATE}x the original rate")
    print(
        f"  {'meets' if peak_ok else 'MISSES'} the target: peak < {TARGET_PEAK_MIB:.0f} MiB "
        f"at {RUNS:,} runs"
    )
    return 0 if rate_ok and peak_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
