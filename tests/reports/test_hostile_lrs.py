"""The LRS client against a hostile "LRS" on 127.0.0.1, as issue 13 describes it.

One raw TCP server plays every trick (it reads the request itself, so it can also drip its
answer or never answer); a second one, on another port, is where redirects point and
records every byte it receives. Each case states the expected outcome, and at the end no
credential may have reached the second port in any form.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from game.cli import main
from game.records.lrs import LrsAddressError, LrsClient, LrsError, RetryPolicy, parse_endpoint
from tests.reports.seed import Demo

USER, SECRET = "htl-key", "S3cr3t-Pa55"
TOKEN = base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
FORMS = (SECRET, TOKEN, f"{USER}:{SECRET}")  # every form the credentials could travel in
QUICK = RetryPolicy(attempts=3, first_delay=0.01, factor=2.0, max_delay=0.02, timeout=1.0)

Reply = Callable[["Request", socket.socket], None]


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    raw: bytes


@dataclass
class Server:
    """A loopback server that answers each path with a scripted behaviour."""

    routes: dict[str, Reply] = field(default_factory=dict)
    seen: list[Request] = field(default_factory=list)
    raw: bytearray = field(default_factory=bytearray)
    port: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def url(self, prefix: str) -> str:
        return f"http://127.0.0.1:{self.port}/{prefix}/"

    def hits(self, prefix: str) -> int:
        return self.counts.get(prefix, 0)


def _read_request(sock: socket.socket, sink: bytearray) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            sink.extend(data)
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    sink.extend(head + b"\r\n\r\n" + rest)
    return Request(method, target, headers, rest, head + rest)


def _serve(server: Server) -> Iterator[Server]:
    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            sock: socket.socket = self.request
            request = _read_request(sock, server.raw)
            if request is None:
                return
            server.seen.append(request)
            prefix = request.target.strip("/").split("/", 1)[0]
            server.counts[prefix] = server.counts.get(prefix, 0) + 1
            reply = server.routes.get(prefix, answer(404, b"{}"))
            with contextlib.suppress(OSError):  # the client gave up: the point of some cases
                reply(request, sock)

    class Threaded(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    tcp = Threaded(("127.0.0.1", 0), Handler)
    server.port = tcp.server_address[1]
    # shutdown() waits for serve_forever to look up: every 10 ms, not the default 0.5 s
    thread = threading.Thread(target=tcp.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        tcp.shutdown()
        tcp.server_close()
        thread.join(timeout=10)


@pytest.fixture
def second() -> Iterator[Server]:
    """Where redirects point: it answers 200 with the ids, and records everything."""
    yield from _serve(Server(routes={"xAPI": ids_reply}))


@pytest.fixture
def hostile(second: Server) -> Iterator[Server]:
    yield from _serve(Server())


@pytest.fixture(autouse=True)
def _no_credential_reaches_the_second_port(second: Server) -> Iterator[None]:
    yield
    for form in FORMS:
        assert form.encode() not in bytes(second.raw), "a credential reached the second port"
    assert all("authorization" not in r.headers for r in second.seen)


# ---- replies -------------------------------------------------------------------------------


def send_raw(sock: socket.socket, status: int, body: bytes, headers: dict[str, str]) -> None:
    head = f"HTTP/1.1 {status} Scripted\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    sock.sendall(head.encode("latin-1") + b"\r\n" + body)


def answer(status: int, body: bytes = b"", **headers: str) -> Reply:
    def reply(_request: Request, sock: socket.socket) -> None:
        send_raw(sock, status, body, {k.replace("_", "-"): v for k, v in headers.items()})

    return reply


def sent_ids(request: Request) -> list[str]:
    return [s["id"] for s in json.loads(request.body)]


def ids_reply(request: Request, sock: socket.socket) -> None:
    if request.method == "POST":
        payload = json.dumps(sent_ids(request)).encode()
        send_raw(sock, 200, payload, {"Content-Type": "application/json"})
    else:
        send_raw(sock, 204, b"", {})


def sequence(*replies: Reply) -> Reply:
    """Each request gets the next reply; the last one repeats."""
    left = list(replies)

    def reply(request: Request, sock: socket.socket) -> None:
        (left.pop(0) if len(left) > 1 else left[0])(request, sock)

    return reply


def sample(count: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-5000-8000-{n:012d}", "n": n} for n in range(count)]


def client(server: Server, prefix: str, **kwargs: Any) -> LrsClient:
    return LrsClient(
        server.url(prefix), user=USER, password=SECRET, retry=QUICK, sleep=lambda _s: None,
        **kwargs,
    )  # fmt: skip


def no_secret(text: str) -> None:
    for form in FORMS:
        assert form not in text


# ---- the cases -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_port_is_an_error_and_not_followed(
    hostile: Server, second: Server, status: int
) -> None:
    hostile.routes["xAPI"] = answer(status, Location=second.url("xAPI") + "statements")
    with pytest.raises(LrsError, match=rf"HTTP {status}, a redirect to .*another address") as e:
        client(hostile, "xAPI").send(sample(3))
    no_secret(str(e.value))
    assert second.seen == []  # not even a connection with a request in it
    assert hostile.hits("xAPI") == 1  # and not retried


def test_a_same_origin_redirect_keeps_the_post(hostile: Server) -> None:
    hostile.routes["old"] = answer(307, Location="/xAPI/statements")
    hostile.routes["xAPI"] = ids_reply
    report = client(hostile, "old").send(sample(3))
    assert report.stored == 3
    assert [r.method for r in hostile.seen] == ["POST", "POST"]  # never a body-less GET
    assert json.loads(hostile.seen[1].body) == sample(3)


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_same_origin_redirect_that_would_become_a_get_is_an_error(
    hostile: Server, status: int
) -> None:
    hostile.routes["old"] = answer(status, Location="/xAPI/statements")
    with pytest.raises(LrsError, match="turn the POST into a GET"):
        client(hostile, "old").send(sample(1))
    assert [r.method for r in hostile.seen] == ["POST"]


def test_server_errors_are_retried_then_succeed(hostile: Server) -> None:
    hostile.routes["xAPI"] = sequence(answer(500), answer(503), ids_reply)
    report = client(hostile, "xAPI").send(sample(2))
    assert (report.stored, report.retries) == (2, 2)


def test_server_errors_give_up_after_the_last_attempt(hostile: Server) -> None:
    hostile.routes["xAPI"] = answer(500, b"boom")
    with pytest.raises(LrsError, match=r"HTTP 500 boom after 3 attempts"):
        client(hostile, "xAPI").send(sample(2))
    assert hostile.hits("xAPI") == 3


def test_an_html_200_from_a_captive_portal_is_not_success(hostile: Server) -> None:
    page = b"<html><body>Welcome to the hotel Wi-Fi. Please log in.</body></html>"
    hostile.routes["xAPI"] = answer(200, page, Content_Type="text/html")
    with pytest.raises(LrsError, match="not with the list of statement ids xAPI requires"):
        client(hostile, "xAPI").send(sample(4))


def test_ids_that_were_not_sent_are_an_error(hostile: Server) -> None:
    hostile.routes["xAPI"] = answer(200, json.dumps(["not-one-of-ours"]).encode())
    with pytest.raises(LrsError, match="ids that were not sent"):
        client(hostile, "xAPI").send(sample(2))


def test_a_partial_id_list_is_checked_and_missing_statements_are_an_error(
    hostile: Server,
) -> None:
    def partial(request: Request, sock: socket.socket) -> None:
        if request.method == "POST":
            send_raw(sock, 200, json.dumps(sent_ids(request)[:2]).encode(), {})
        else:
            send_raw(sock, 404, b"{}", {})  # GET ?statementId=…: not there

    hostile.routes["xAPI"] = partial
    with pytest.raises(LrsError, match=r"confirmed only 2 of 5 statements.*does not hold 3"):
        client(hostile, "xAPI").send(sample(5))
    gets = [r for r in hostile.seen if r.method == "GET"]
    assert len(gets) == 3


def test_a_partial_id_list_for_statements_already_held_is_fine(hostile: Server) -> None:
    held = {s["id"]: s for s in sample(5)[2:]}

    def partial(request: Request, sock: socket.socket) -> None:
        if request.method == "POST":
            fresh = [i for i in sent_ids(request) if i not in held]
            send_raw(sock, 200, json.dumps(fresh).encode(), {})
        else:
            wanted = request.target.rsplit("=", 1)[1]
            send_raw(sock, 200, json.dumps(held[wanted]).encode(), {})

    hostile.routes["xAPI"] = partial
    report = client(hostile, "xAPI").send(sample(5))
    assert (report.stored, report.already_there) == (2, 3)


def test_201_with_the_ids_is_success(hostile: Server) -> None:
    def created(request: Request, sock: socket.socket) -> None:
        send_raw(sock, 201, json.dumps(sent_ids(request)).encode(), {})

    hostile.routes["xAPI"] = created
    report = client(hostile, "xAPI").send(sample(3))
    assert (report.stored, report.already_there) == (3, 0)


def test_204_means_all_already_there(hostile: Server) -> None:
    hostile.routes["xAPI"] = answer(204)
    report = client(hostile, "xAPI").send(sample(3))
    assert (report.stored, report.already_there) == (0, 3)


def test_409_puts_one_by_one_and_counts_the_different_ones(hostile: Server) -> None:
    conflicting = sample(3)[1]["id"]

    def conflict(request: Request, sock: socket.socket) -> None:
        if request.method == "POST":
            send_raw(sock, 409, b'{"detail": "conflict"}', {})
        else:
            send_raw(sock, 409 if request.target.endswith(conflicting) else 204, b"", {})

    hostile.routes["xAPI"] = conflict
    report = client(hostile, "xAPI").send(sample(3))
    assert (report.stored, report.already_there, report.different) == (2, 1, 1)
    assert "1 with other content" in report.line()


def _drip(_request: Request, sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
    for _ in range(1000):  # one byte every 0.2 s: every read succeeds, the whole never ends
        sock.sendall(b" ")
        time.sleep(0.2)


def _hang(_request: Request, sock: socket.socket) -> None:
    time.sleep(30)


@pytest.mark.parametrize("behaviour", [_drip, _hang], ids=["drip-feed", "hang"])
def test_a_slow_server_meets_one_deadline_per_request(hostile: Server, behaviour: Reply) -> None:
    hostile.routes["xAPI"] = behaviour
    started = time.monotonic()
    with pytest.raises(LrsError, match=r"no complete answer within 1 s .* after 3 attempts"):
        client(hostile, "xAPI").send(sample(1))
    elapsed = time.monotonic() - started
    assert elapsed < QUICK.attempts * QUICK.timeout + 2.0  # not per read: bounded


@pytest.mark.parametrize(
    "endpoint",
    ["http://127.0.0.1:99999/xAPI/", "http://[::1/xAPI/", "ftp://127.0.0.1/xAPI/",
     "http:///xAPI/", "http://127.0.0.1/x API/", "http://127.0.0.1/xAPI/?a=b"],
)  # fmt: skip
def test_a_malformed_address_is_refused_at_once(endpoint: str) -> None:
    with pytest.raises(LrsAddressError):
        LrsClient(endpoint, retry=QUICK)


def test_credentials_in_the_address_are_used_but_never_shown_or_looked_up(
    hostile: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def spy(host: Any, *args: Any, **kwargs: Any) -> Any:
        looked_up.append(str(host))
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", spy)
    hostile.routes["xAPI"] = ids_reply
    endpoint = f"http://{USER}:{SECRET}@127.0.0.1:{hostile.port}/xAPI/"
    lrs = LrsClient(endpoint, retry=QUICK)
    report = lrs.send(sample(2))
    assert hostile.seen[0].headers["authorization"] == f"Basic {TOKEN}"
    no_secret(report.line())
    no_secret(lrs.url)
    assert looked_up and all(SECRET not in host and USER not in host for host in looked_up)
    assert parse_endpoint(f"https://{USER}:{SECRET}@lrs.example.org/x/").host == ("lrs.example.org")


def test_a_malformed_address_with_credentials_does_not_echo_them() -> None:
    with pytest.raises(LrsAddressError) as error:
        LrsClient(f"http://{USER}:{SECRET}@127.0.0.1:notaport/xAPI/")
    no_secret(str(error.value))


def test_an_lrs_echoing_the_credentials_gets_them_redacted(hostile: Server) -> None:
    def echo(request: Request, sock: socket.socket) -> None:
        send_raw(sock, 401, request.headers["authorization"].encode() + b" " + SECRET.encode(), {})

    hostile.routes["xAPI"] = echo
    with pytest.raises(LrsError, match="did not accept the user name or password") as error:
        client(hostile, "xAPI").send(sample(1))
    no_secret(str(error.value))


def test_plain_http_with_credentials_is_refused_unless_allowed() -> None:
    with pytest.raises(LrsAddressError, match="plain http://") as error:
        LrsClient("http://lrs.example.org/xAPI/", user=USER, password=SECRET)
    no_secret(str(error.value))
    allowed = LrsClient(
        "http://lrs.example.org/xAPI/", user=USER, password=SECRET, allow_http_credentials=True
    )
    assert allowed.url == "http://lrs.example.org/xAPI/statements"
    LrsClient("http://lrs.example.org/xAPI/")  # no credentials: nothing to protect


# ---- through the command ---------------------------------------------------------------------


def test_the_command_never_echoes_a_url_secret(
    demo: Demo, db_url: str, hostile: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.routes["xAPI"] = ids_reply
    endpoint = f"http://{USER}:{SECRET}@127.0.0.1:{hostile.port}/xAPI/"
    assert main(["export", "--db", db_url, "--format", "xapi", "--lrs", endpoint]) == 0
    captured = capsys.readouterr()
    no_secret(captured.out + captured.err)
    assert "stored" in captured.err
    assert hostile.seen[0].headers["authorization"] == f"Basic {TOKEN}"


def test_the_command_reports_a_redirect_as_a_failure(
    demo: Demo, db_url: str, hostile: Server, second: Server,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    hostile.routes["xAPI"] = answer(302, Location=second.url("xAPI") + "statements")
    endpoint = f"http://127.0.0.1:{hostile.port}/xAPI/"
    code = main(["export", "--db", db_url, "--format", "xapi", "--lrs", endpoint,
                 "--lrs-user", USER, "--lrs-password", SECRET])  # fmt: skip
    assert code == 1  # not "4 stored", exit 0
    err = capsys.readouterr().err
    assert "redirect" in err and "stored" not in err
    no_secret(err)


def test_the_command_refuses_plain_http_credentials(
    db_url: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets_file = tmp_path / "lrs.txt"
    secrets_file.write_text(f"{USER}:{SECRET}\n", encoding="utf-8")
    args = ["export", "--db", db_url, "--format", "xapi", "--lrs", "http://lrs.invalid/xAPI/",
            "--lrs-credentials", str(secrets_file)]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "plain http://" in err and "--lrs-allow-http" in err
    no_secret(err)
