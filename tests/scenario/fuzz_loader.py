"""Coverage-guided fuzzing of the scenario loader with atheris (libFuzzer), for release checks.

    .venv/bin/python -m pip install atheris          # a dev tool, never needed to play
    .venv/bin/python -m tests.scenario.fuzz_loader -max_total_time=600

Starts from every shipped scenario and the small test scenario (copied into a fresh corpus
folder, or the folder you name first), and mutates them guided by which branches of the
loader each input reaches. The target is `tests.scenario.fuzz_target.check`, the same
contract the property tests hold: a playable scenario or located `ScenarioError` problems,
nothing else. Any other exception stops the run and leaves the input as `crash-…`; an input
slower than `-timeout` seconds (default here 10) is reported as a hang (`timeout-…`). Other
libFuzzer flags pass through (`-runs=N`, `-jobs=2`, ...).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _seed_corpus(folder: Path) -> None:
    from tests.scenario.base import BASE

    (folder / "base.yaml").write_text(BASE, encoding="utf-8")
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        (folder / path.name).write_bytes(path.read_bytes())


def main(argv: list[str]) -> int:
    try:
        import atheris
    except ImportError:
        print("fuzz_loader: atheris is not installed; `pip install atheris` first", file=sys.stderr)
        return 2
    args = [arg for arg in argv[1:] if arg.startswith("-")]
    paths = [arg for arg in argv[1:] if not arg.startswith("-")]
    if not any(arg.startswith("-timeout=") for arg in args):
        args.append("-timeout=10")
    if paths and Path(paths[0]).is_file():  # replay findings: libFuzzer runs each file once
        inputs = paths
    else:
        corpus = Path(paths[0]) if paths else Path(tempfile.mkdtemp(prefix="htl-fuzz-"))
        corpus.mkdir(parents=True, exist_ok=True)
        if not any(corpus.iterdir()):
            _seed_corpus(corpus)
        print(f"fuzz_loader: corpus in {corpus}", file=sys.stderr)
        inputs = [str(corpus)]
    with atheris.instrument_imports(include=["game", "yaml"]):
        from tests.scenario.fuzz_target import check
    atheris.Setup([argv[0], *args, *inputs], check)
    atheris.Fuzz()
    return 0  # pragma: no cover - atheris.Fuzz exits the process


if __name__ == "__main__":
    sys.exit(main(sys.argv))
