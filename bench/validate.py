"""`validate` against the parser it is built on: loading at the parser's speed.

The floor, measured in the same run: `yaml.load` with `CSafeLoader` of the same files, in one
process. Three measurements, each a median over alternating runs so machine load hits floor
and game alike:

1. `validate scenarios/` in one process (the campaign and its 13 levels, from a fresh copy
   each run so nothing parsed before is reused; modules imported before) against loading the
   same files with `yaml.load`. Target: <= 1.5x. For information, the same as a command does
   it: a fresh process imports what it needs and checks the folder, the floor process imports
   yaml and loads the files (interpreter start-up left out of both). No target: importing
   the game's modules (dataclasses, hashlib, the loader) costs more than the floor's parse.
2. Cost per node, flat in file size: generated valid scenarios of 20, 200 and 2,000 nodes,
   each checked in one process (a fresh path each time, so nothing is reused); the cost per
   node at 2,000 is within 1.5x of that at 20, and each size stays within 1.5x of its floor.
3. A 2,000-node file with 1,000 broken links (1,000 errors, and the unreachable nodes they
   leave): every problem found and formatted, under 1 s.

Times are CPU seconds of the measuring process (`time.process_time`): the benchmark machine
is shared, and wall time would measure the neighbours. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.5
FLAT_RATIO = 1.5
ERRORS_SECONDS = 1.0
RUNS = 9

FLOOR_CHILD = """
import sys, time
from pathlib import Path
start = time.process_time()
import yaml
for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
print(time.process_time() - start)
"""

VALIDATE_CHILD = """
import sys, time
from pathlib import Path
start = time.process_time()
from game.scenario.validate import validate
report = validate([Path(sys.argv[1])])
elapsed = time.process_time() - start
assert report.files == 14 and not report.problems, report
assert "numpy" not in sys.modules, "validate imported numpy"
print(elapsed)
"""


def child_seconds(code: str, folder: Path) -> float:
    # As on any installed Python, compiled modules are cached (.pyc); some sandboxes switch
    # that off, which would charge the game for recompiling itself on every run.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    )
    return float(done.stdout.strip().splitlines()[-1])


def scenario(nodes: int, broken: int = 0) -> bytes:
    """A valid scenario of `nodes` nodes in a ladder; `broken` links point nowhere."""
    lines = [
        "format: 1",
        f"id: generated-{nodes}",
        "title: Generated",
        "summary: A generated scenario for the benchmark.",
        "channel: phone",
        "difficulty: 3",
        "customer: {name: Ms. Bench, persona: angry, anger: 60, vent: 1}",
        "start: n0",
        "nodes:",
    ]
    for i in range(nodes - 1):
        ahead = f"n{i + 1}"
        other = f"n{min(i + 2, nodes - 1)}"
        if i < broken:
            other = f"m{i + 2}x"  # a broken link: no such node
        lines += [
            f"  n{i}:",
            f'    customer: "Line {i}: I have waited long enough for this, frankly."',
            "    choices:",
            f'      - say: "I hear you; let me look at it now ({i})."',
            "        technique: listen",
            f"        next: {ahead}",
            f'      - say: "That is not how it works ({i})."',
            "        technique: dismiss",
            "        next:",
            "          - when: {anger_at_least: 70}",
            f"            goto: {other}",
            f"          - goto: {ahead}",
        ]
    lines += [f"  n{nodes - 1}:", '    customer: "Thanks."', "    end: resolved"]
    return ("\n".join(lines) + "\n").encode()


def best_of(work: list[tuple[str, object]]) -> dict[str, list[float]]:
    """Run each (name, thunk) RUNS times, alternating; seconds per run by name."""
    times: dict[str, list[float]] = {name: [] for name, _ in work}
    for _ in range(RUNS):
        for name, thunk in work:
            start = time.process_time()
            thunk()  # type: ignore[operator]
            times[name].append(time.process_time() - start)
    return times


def main() -> int:
    import yaml

    from game.scenario.loader import parse_scenario
    from game.scenario.problems import ScenarioError

    ok = True

    # 1. validate scenarios/, in one process and as a fresh command
    from game.scenario.validate import validate
    from game.scenario.vocabulary import vocabulary

    vocabulary()  # once per process, like the modules: not part of checking a folder
    with tempfile.TemporaryDirectory(prefix="htl-bench-validate-") as tmp:
        copies = []
        for number in range(RUNS + 2):
            folder = Path(tmp) / f"scenarios-{number}"
            folder.mkdir()
            for path in (ROOT / "scenarios").glob("*.yaml"):
                (folder / path.name).write_bytes(path.read_bytes())
            copies.append(folder)

        def load_all() -> None:
            for path in sorted(copies[0].glob("*.yaml")):
                yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

        def check_folder() -> None:
            report = validate([copies.pop()])
            assert report.files == 14 and not report.problems, report

        check_folder()
        times = best_of([("floor", load_all), ("validate", check_folder)])
        floor, game = statistics.median(times["floor"]), statistics.median(times["validate"])
        ratio = game / floor
        met = ratio <= TARGET_RATIO
        ok &= met
        print(f"validate scenarios/ in one process, median of {RUNS}")
        print(f"  floor: yaml.load (CSafeLoader) {floor * 1000:7.1f} ms")
        print(f"  validate                       {game * 1000:7.1f} ms   ratio {ratio:.2f}x")
        print(f"  {'meets' if met else 'MISSES'} the target: <= {TARGET_RATIO}x the floor")

        folder = copies[-1]
        child_seconds(VALIDATE_CHILD, folder)  # warm the file cache and bytecode
        floor_runs: list[float] = []
        game_runs: list[float] = []
        for _ in range(RUNS):
            floor_runs.append(child_seconds(FLOOR_CHILD, folder))
            game_runs.append(child_seconds(VALIDATE_CHILD, folder))
    floor, game = statistics.median(floor_runs), statistics.median(game_runs)
    print(f"validate scenarios/ in a fresh process, median of {RUNS} (imports included)")
    print(f"  floor: import yaml + yaml.load {floor * 1000:7.1f} ms")
    print(f"  validate                       {game * 1000:7.1f} ms   ratio {game / floor:.2f}x")
    print("  for information (no target: most of the difference is importing modules)")

    # 2. cost per node
    counter = itertools.count()
    per_node: dict[int, float] = {}
    print("cost per node, in one process (median of {RUNS})".replace("{RUNS}", str(RUNS)))
    for size in (20, 200, 2_000):
        data = scenario(size)
        parse_scenario(data, "check.yaml")  # valid, or the benchmark is wrong

        def ours(data: bytes = data) -> None:
            parse_scenario(data, f"bench-{next(counter)}.yaml")  # a new path: nothing reused

        def parser(data: bytes = data) -> None:
            yaml.load(data, Loader=yaml.CSafeLoader)

        times = best_of([("floor", parser), ("validate", ours)])
        f, g = statistics.median(times["floor"]), statistics.median(times["validate"])
        per_node[size] = g / size
        size_ok = g / f <= TARGET_RATIO
        ok &= size_ok
        print(
            f"  {size:5} nodes: floor {f * 1000:8.2f} ms, validate {g * 1000:8.2f} ms"
            f" ({g / f:.2f}x), {per_node[size] * 1e6:6.1f} us per node"
            f"{'' if size_ok else '  MISSES <= 1.5x'}"
        )
    growth = per_node[2_000] / per_node[20]
    flat = growth <= FLAT_RATIO
    ok &= flat
    print(f"  per-node cost at 2,000 / at 20: {growth:.2f}x")
    print(f"  {'meets' if flat else 'MISSES'} the target: <= {FLAT_RATIO}x (flat)")

    # 3. many errors
    data = scenario(2_000, broken=1_000)
    runs: list[float] = []
    found = 0
    for _ in range(RUNS):
        start = time.process_time()
        try:
            parse_scenario(data, f"bench-{next(counter)}.yaml")
        except ScenarioError as error:
            text = str(error)
            found = len(error.problems)
        runs.append(time.process_time() - start)
    assert found >= 1_000 and text.count("SC001") == 1_000, found
    seconds = statistics.median(runs)
    fast = seconds < ERRORS_SECONDS
    ok &= fast
    print(f"2,000 nodes with 1,000 broken links: {found:,} problems in {seconds * 1000:.0f} ms")
    print(f"  {'meets' if fast else 'MISSES'} the target: under {ERRORS_SECONDS:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
