"""A game process for the records tests: `python -m tests.records.worker MODE URL …`.

Modes (each line on stdout is printed and flushed only after the write it reports returned,
i.e. after its transaction committed):

  hold URL TRAINEE TURNS     start an attempt, play TURNS turns, print `held ID`, then wait
                             for stdin to close (a live call in another process).
  zygote URL TRAINEE         for each seed read on stdin, fork a game that opens the store
                             as the game does (abandon_stale), prints `ready PID`, then plays
                             attempts forever: `start ID`, `turn ID N`, `done ID`, `left ID`
                             (abandoned on purpose) — until it is killed. See `zygote()`.
  bulk URL COUNT SEED T1,T2… wait for a line on stdin (so all workers start together), then
                             write COUNT completed attempts, turn by turn, for the given
                             trainees; print `ok COUNT`.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import UTC, datetime

from game.engine.scoring import debrief
from game.engine.session import Phase, TimerMode, play_choices
from game.records.api import AttemptStart
from game.records.recorder import Recorder, finish_from_debrief
from game.records.store import open_store
from tests.catalog import CATALOG
from tests.records.play import bad_choices, good_choices, play, scenario


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def warm_up() -> None:
    """Load the scenario, plans and catalog before the clock starts: kills should land in writes."""
    play_choices(scenario(), good_choices(), catalog=CATALOG)
    play_choices(scenario(), bad_choices(), catalog=CATALOG)


def hold(url: str, trainee_id: int, turns: int) -> None:
    store = open_store(url)
    recorder = play(store, trainee_id, good_choices(), stop_after=turns)
    say(f"held {recorder.attempt_id}")
    sys.stdin.read()  # until the test closes our stdin
    store.close()


def zygote(url: str, trainee_id: int) -> None:
    """Import and warm up once, then fork a fresh game per line read on stdin (its seed).

    Each child opens its own connection after the fork, prints `ready PID`, and plays until
    it is killed. Before forking the next, the zygote reaps the last child and prints
    `reaped PID SIGNAL`, so everything a child wrote comes before that line.
    """
    warm_up()
    child = 0
    for line in sys.stdin:
        _reap(child)
        child = os.fork()
        if child == 0:
            try:
                crash(url, trainee_id, int(line))
            finally:
                os._exit(1)  # never back into the zygote's loop
    _reap(child)


def _reap(child: int) -> None:
    if child:
        _, status = os.waitpid(child, 0)
        say(f"reaped {child} {os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1}")
    sys.stdout.flush()


def crash(url: str, trainee_id: int, seed: int) -> None:
    rng = random.Random(seed)
    store = open_store(url)
    store.abandon_stale()  # as the game does when it opens the store
    say(f"ready {os.getpid()}")
    sc = scenario()
    while True:
        choices = good_choices() if rng.random() < 0.5 else bad_choices()
        leave_after = rng.randrange(len(choices)) if rng.random() < 0.2 else None
        recorder = Recorder.begin(
            store, trainee_id, sc, 1, 70, None, rng.randrange(2**31), TimerMode.OFF, "en", CATALOG
        )
        aid = recorder.attempt_id
        say(f"start {aid}")
        for index, number in enumerate(choices):
            if leave_after is not None and index == leave_after:
                recorder.abandon()
                say(f"left {aid}")
                break
            while recorder.phase is Phase.SPEAKING:
                recorder.proceed()
            recorder.choose(number)
            say(f"turn {aid} {index + 1}")
            if recorder.finished:
                say(f"done {aid}")
                break


def bulk(url: str, count: int, seed: int, trainee_ids: list[int]) -> None:
    """Write attempts as fast as the store takes them: the same transactions as the Recorder
    (start, one per turn, finish), with the plays computed once instead of per attempt."""
    rng = random.Random(seed)
    sc = scenario()
    plays = []
    for choices in (good_choices(), bad_choices()):
        state = play_choices(sc, choices, catalog=CATALOG)
        plays.append((state, debrief(sc, state, 70, catalog=CATALOG)))
    store = open_store(url)
    sys.stdin.readline()  # the starting gun
    for n in range(count):
        state, report = plays[rng.randrange(len(plays))]
        attempt_id = store.start_attempt(
            AttemptStart(
                trainee_id=trainee_ids[n % len(trainee_ids)],
                scenario_id=sc.id,
                content_hash=sc.content_hash,
                level=1,
                pass_score=70,
                seed=n,
                policy=state.policy,
                timer="off",
                lang="en",
                started_at=datetime.now(UTC),
            )
        )
        for turn, event in zip(state.turns, state.events, strict=True):
            store.record_turn(attempt_id, turn, event, rng.uniform(0.5, 9.0))
        finish_from_debrief(store, attempt_id, report, ended_at=datetime.now(UTC))
    store.close()
    say(f"ok {count}")


def main(argv: list[str]) -> None:
    mode, url, *rest = argv
    if mode == "hold":
        hold(url, int(rest[0]), int(rest[1]))
    elif mode == "zygote":
        zygote(url, int(rest[0]))
    elif mode == "bulk":
        bulk(url, int(rest[0]), int(rest[1]), [int(t) for t in rest[2].split(",")])
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
