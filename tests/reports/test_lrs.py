"""Sending to a real Learning Record Store: ralph (ralph-malph) on loopback.

ralph lives in its own virtualenv (`.venv-lrs`, see `RALPH_BIN`), since it pins a web stack
of its own. The fixture makes a user with `ralph auth`, writes the credentials file that
`RALPH_AUTH_FILE` names, starts `ralph runserver -b fs` on a free loopback port and stops it
(and its reloader's worker) at the end.

One shim: ralph's `fs` backend (up to 5.1.0 at least) writes each POST with the "create"
operation, which refuses an existing file, so every write after the first answers 500
("Statements bulk indexation failed"). A `sitecustomize` on the server's PYTHONPATH makes
that backend append instead; everything else (auth, validation, duplicate and conflict
checks, queries and paging) is ralph's own.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.records.export import details, load_library, xapi_settings
from game.records.store import SqlStore
from game.records.xapi import LrsClient, all_statements
from tests.conftest import ROOT
from tests.reports.locale import TRANSLATED, translated_locale
from tests.reports.seed import Demo
from tests.reports.xapi_shape import check_statement

HOME = "https://lms.example.org"
COMPARED = ("actor", "verb", "object", "result", "context", "timestamp")
APPEND_SHIM = """\
# Test shim (tests/reports/test_lrs.py): let ralph's fs LRS backend append to its file.
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
"""


def find_ralph() -> str | None:
    for candidate in (os.environ.get("RALPH_BIN"), str(ROOT / ".venv-lrs" / "bin" / "ralph")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("ralph")


@dataclass(frozen=True)
class Ralph:
    endpoint: str
    user: str
    password: str

    def client(self) -> LrsClient:
        return LrsClient(self.endpoint, user=self.user, password=self.password)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    executable = find_ralph()
    if executable is None:
        pytest.skip(
            "ralph (the LRS) is not installed: python3 -m venv .venv-lrs && "
            ".venv-lrs/bin/pip install 'ralph-malph[cli,lrs]' requests (or set RALPH_BIN)"
        )
    home = tmp_path_factory.mktemp("ralph")
    user, password = "hold-the-line", secrets.token_urlsafe(12)
    (home / "shim").mkdir()
    (home / "shim" / "sitecustomize.py").write_text(APPEND_SHIM, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(home / "shim"),
        "RALPH_APP_DIR": str(home / "app"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_AUTH_FILE": str(home / "auth.json"),
    }
    made = subprocess.run(
        [executable, "auth", "-u", user, "-p", password, "-s", "all", "-A", user, HOME],
        env=env, cwd=home, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    entry = json.loads(made.stdout[made.stdout.index("{") :])  # after its "Copy/paste" line
    (home / "auth.json").write_text(json.dumps([entry]), encoding="utf-8")
    (home / "data").mkdir()
    port = _free_port()
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [executable, "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(port),
         "--fs-default-directory-path", str(home / "data")],
        env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the reloader and its worker
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    tail = (home / "server.log").read_text(errors="replace")[-2000:]
                    pytest.fail(f"ralph did not start: {tail}")
                time.sleep(0.3)
        yield Ralph(f"http://127.0.0.1:{port}/xAPI/", user, password)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=20)
        log.close()


def _registrations(statements: Any) -> set[str]:
    return {s["context"]["registration"] for s in statements}


def _mine(held: Any, exported: Any) -> list[dict[str, Any]]:
    """What the LRS holds of these attempts (the module's LRS is shared between tests)."""
    wanted = _registrations(exported)
    return [s for s in held if s.get("context", {}).get("registration") in wanted]


def test_export_to_ralph_and_read_it_back(
    ralph: Ralph, demo: Demo, db_url: str, store: SqlStore,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    exported = all_statements(details(store), xapi_settings(store, load_library(), HOME))
    args = ["export", "--db", db_url, "--format", "xapi", "--homepage", HOME,
            "--lrs", ralph.endpoint, "--lrs-user", ralph.user, "--lrs-password", ralph.password]  # fmt: skip
    assert main(args) == 0
    err = capsys.readouterr().err
    batches = -(-len(exported) // 100)
    assert batches > 1  # and reading them back crosses a `more` page too
    assert (
        f"sent {len(exported)} statements in {batches} batches to {ralph.endpoint}statements" in err
    )
    assert f"{len(exported)} stored, 0 already there" in err

    held = _mine(ralph.client().fetch_all(), exported)
    assert sorted(s["id"] for s in held) == sorted(s["id"] for s in exported)
    by_id = {s["id"]: s for s in held}
    for statement in exported:
        back = by_id[statement["id"]]
        check_statement(back)
        assert {k for k in COMPARED if k in back} == {k for k in COMPARED if k in statement}
        for key in (k for k in COMPARED if k in statement):
            if key == "timestamp":  # the LRS may write it in its own ISO 8601 form
                assert _same_instant(back[key], statement[key]), statement["id"]
            else:
                assert back[key] == statement[key], (statement["id"], key)

    # the same export again adds nothing
    assert main(args) == 0
    err = capsys.readouterr().err
    assert f"0 stored, {len(exported)} already there" in err
    again = _mine(ralph.client().fetch_all(), exported)
    assert len(again) == len(exported)


def test_new_attempts_land_beside_a_conflicting_one(
    ralph: Ralph, demo: Demo, store: SqlStore
) -> None:
    exported = all_statements(details(store), xapi_settings(store, load_library(), HOME))
    client = ralph.client()
    head, tail = list(exported[:5]), list(exported[5:])
    assert client.send(head).stored == 5
    # A changed statement under a known id is refused (409) by the LRS: the batch is then
    # put one statement at a time, so the rest still lands and the LRS keeps the original.
    changed = {**head[0], "result": {"response": "something else"}}
    report = client.send([changed, *tail])
    assert (report.stored, report.already_there) == (len(tail), 1)
    held = {s["id"]: s for s in _mine(client.fetch_all(), exported)}
    assert len(held) == len(exported)
    assert "result" not in held[head[0]["id"]]  # `initialized` has no result: unchanged


def _same_instant(a: str, b: str) -> bool:
    from datetime import datetime

    def parse(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    return parse(a) == parse(b)


def test_the_lrs_reproduces_the_choice_map(ralph: Ralph, demo: Demo, store: SqlStore) -> None:
    """Each reply reaches the LRS as a `selected` choice interaction; counting the LRS's own
    statements per decision point and response gives the choice map's shares."""
    from collections import Counter
    from datetime import UTC, datetime

    from game.records.xapi import DIALOG_TREE, SELECTED

    store.abandon_attempt(demo.in_progress, datetime.now(UTC))  # so every turn is exported
    library = load_library()
    exported = all_statements(details(store), xapi_settings(store, library, HOME))
    assert ralph.client().send(list(exported)).stored == len(exported)
    held = [s for s in _mine(ralph.client().fetch_all(), exported) if s["verb"]["id"] == SELECTED]
    assert len(held) == sum(1 for s in exported if s["verb"]["id"] == SELECTED) > 0
    for level in ("late-delivery", "cant-decide"):
        scenario = library.ref(level).scenario
        assert scenario is not None
        picked: Counter[tuple[str, str]] = Counter()
        for s in held:
            node_iri = s["object"]["id"]
            if f"/scenarios/{level}/nodes/" not in node_iri:
                continue
            definition = s["object"]["definition"]
            assert definition["type"] == DIALOG_TREE and definition["interactionType"] == "choice"
            node = node_iri.rsplit("/", 1)[1]
            offered = {c["id"] for c in definition["choices"]}
            assert offered == {str(c.number) for c in scenario.node(node).choices}
            assert all(c["description"]["en"] for c in definition["choices"])
            assert s["result"]["response"] in offered
            picked[(node, s["result"]["response"])] += 1
        found = store.choice_map(level, scenario=scenario)
        assert sum(picked.values()) == sum(p.visits for p in found.points) > 0
        for point in found.points:
            visits = sum(n for (node, _), n in picked.items() if node == point.node)
            assert visits == point.visits
            for reply in point.replies:
                share = picked[(point.node, str(reply.choice))] / visits if visits else 0.0
                assert share == pytest.approx(reply.share), (level, point.node, reply.choice)


def test_language_maps_reach_the_lrs_intact(
    ralph: Ralph, demo: Demo, db_url: str, store: SqlStore, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """With translations in the locale folder, `export --lrs` sends names, descriptions,
    replies and verbs in every language that has them, and the LRS keeps every entry."""
    root = translated_locale(tmp_path / "locale")
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(root))
    exported = all_statements(details(store), xapi_settings(store, load_library(), HOME))
    args = ["export", "--db", db_url, "--format", "xapi", "--homepage", HOME,
            "--lrs", ralph.endpoint, "--lrs-user", ralph.user, "--lrs-password", ralph.password]  # fmt: skip
    assert main(args) == 0
    assert f"{len(exported)} stored, 0 already there" in capsys.readouterr().err
    held = {s["id"]: s for s in _mine(ralph.client().fetch_all(), exported)}
    assert len(held) == len(exported)
    languages: set[str] = set()
    for statement in exported:
        back = held[statement["id"]]
        check_statement(back)
        assert back["verb"] == statement["verb"]
        assert back["object"]["definition"] == statement["object"]["definition"]
        languages |= set(back["object"]["definition"]["name"])
        languages |= set(back["verb"]["display"])
    assert languages == {"en", "en-US", "vi", "tr", "fi"}  # fil has nothing translated
    late = next(s for s in held.values() if s["object"]["id"].endswith("/scenarios/late-delivery"))
    assert late["object"]["definition"]["name"]["vi"] == TRANSLATED["vi"]["late-delivery:title"]
