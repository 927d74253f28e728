"""Sending xAPI statements to a Learning Record Store, safely by default.

What an LRS (or something pretending to be one) can do wrong, and what we do about it:

- a redirect: never followed to another origin (scheme, host, port) — the Basic credentials
  would go with it — and never turned into a GET; a 307/308 to the same origin is followed
  with the same method and body, anything else is an error naming where it pointed;
- a 200 that is not the answer xAPI 1.0.3 §2.1.2 requires (a JSON array of the statement ids,
  in order): an HTML page from a captive portal, or ids we did not send, is an error; ids
  missing from the list are looked up one by one (GET ?statementId=…), and any the LRS does
  not hold make an error that names them;
- 201 Created: not in the xAPI spec for statements, but a success in HTTP: taken like 200
  (the id list is still required on a POST);
- 204 to a POST: the spec's answer for statements the LRS already has (§2.1.2: "Whether it
  responds with 409 Conflict or 204 No Content, it MUST NOT modify the Statement");
- 409: the LRS holds a different statement under one of the ids and refused the batch; the
  batch is PUT one statement at a time so the others still land; a PUT answered 409 is
  counted as "already there, different" (the LRS keeps its own, as the spec requires);
- a server that drips its answer or never answers: one deadline for the whole request
  (connect, send, headers and body), not per read;
- retries only for what may pass on its own (connection errors, timeouts, 429, 5xx), with
  exponential backoff; an address that cannot be parsed is refused before anything is sent;
- credentials: from the environment, a file or the URL's user part, never echoed (every
  message is passed through `redact`), never part of the host name looked up; `http://` with
  credentials is refused unless the caller allows it explicitly (a literal loopback address,
  127.0.0.1 or ::1, is allowed: that traffic never leaves the machine).

Only the standard library (http.client) is used.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import json
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from game import __version__

XAPI_VERSION = "1.0.3"
DEFAULT_BATCH = 100
FOLLOWED_REDIRECTS = 3
REDACTED = "***"

Statement = dict[str, Any]


class LrsError(Exception):
    """The LRS refused the statements, answered nonsense, or could not be reached in time."""


class LrsAddressError(LrsError):
    """The LRS address or credentials are unusable: nothing was sent (a usage error)."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Connection errors, timeouts, 5xx and 429 are retried with exponential backoff.

    `timeout` is the deadline of one whole request, in seconds.
    """

    attempts: int = 5
    first_delay: float = 0.5
    factor: float = 2.0
    max_delay: float = 30.0
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class SendReport:
    url: str
    statements: int
    batches: int
    stored: int  # statements the LRS confirmed storing now
    already_there: int  # statements the LRS already had (204, 409 on PUT, or found by GET)
    retries: int
    different: int = 0  # of those already there: held by the LRS with other content (409)

    def line(self) -> str:
        plural = "s" if self.statements != 1 else ""
        text = (
            f"sent {self.statements} statement{plural} "
            f"in {self.batches} batch{'es' if self.batches != 1 else ''} to {self.url}: "
            f"{self.stored} stored, {self.already_there} already there"
        )
        if self.different:
            text += f" ({self.different} with other content: the LRS kept its own)"
        if self.retries:
            text += f", {self.retries} retr{'ies' if self.retries != 1 else 'y'}"
        return text


@dataclass(frozen=True, slots=True)
class LrsAddress:
    """An endpoint split into what may be shown and the credentials, which may not."""

    scheme: str
    host: str
    port: int
    path: str  # the statements resource, e.g. /xAPI/statements
    user: str | None
    password: str | None

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host.lower(), self.port)

    @property
    def loopback(self) -> bool:
        """A literal loopback address (127.0.0.0/8, ::1): traffic that never leaves the machine."""
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @property
    def url(self) -> str:
        """The statements URL without any credentials: safe to print."""
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        netloc = host if self.port == default else f"{host}:{self.port}"
        return f"{self.scheme}://{netloc}{self.path}"


_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def parse_endpoint(endpoint: str) -> LrsAddress:
    """Check and split an LRS endpoint; errors never repeat what came before an `@`."""
    shown = _shown(endpoint)
    if _CONTROL.search(endpoint):
        raise LrsAddressError(f"the LRS address {shown} contains spaces or control characters")
    try:
        parts = urllib.parse.urlsplit(endpoint)
    except ValueError:
        raise LrsAddressError(f"the LRS address is not a valid URL: {shown}") from None
    if parts.scheme not in ("http", "https"):
        raise LrsAddressError(f"the LRS address must start with http:// or https://: {shown}")
    if parts.query or parts.fragment:
        raise LrsAddressError(f"the LRS address takes no ?query or #fragment: {shown}")
    try:
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise LrsAddressError(f"the LRS address has no valid host and port: {shown}") from None
    if not host:
        raise LrsAddressError(f"the LRS address has no host: {shown}")
    user = urllib.parse.unquote(parts.username) if parts.username is not None else None
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    path = (parts.path or "/").rstrip("/") + "/statements"
    return LrsAddress(
        parts.scheme,
        host,
        port if port is not None else (443 if parts.scheme == "https" else 80),
        path,
        user or None,
        password,
    )


def _shown(endpoint: str) -> str:
    """An address as it may appear in a message: anything before an `@` is replaced."""
    scheme, sep, rest = endpoint.partition("://")
    if not sep:
        scheme, rest = "", endpoint
    authority_end = len(rest)
    for mark in "/?#":
        found = rest.find(mark)
        if found != -1:
            authority_end = min(authority_end, found)
    authority, tail = rest[:authority_end], rest[authority_end:]
    if "@" in authority:
        authority = REDACTED + "@" + authority.rpartition("@")[2]
    text = (f"{scheme}://" if sep else "") + authority + tail
    return repr(_CONTROL.sub("?", text[:200]))


def statements_url(endpoint: str) -> str:
    """The statements resource under an endpoint, without credentials."""
    return parse_endpoint(endpoint).url


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


class _RequestTimeout(Exception):
    pass


class LrsClient:
    """POSTs statements in batches with Basic auth; see the module docstring for the rules."""

    def __init__(
        self,
        endpoint: str,
        *,
        user: str | None = None,
        password: str | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        allow_http_credentials: bool = False,
    ) -> None:
        address = parse_endpoint(endpoint)
        user = user if user is not None else address.user
        password = password if password is not None else address.password
        self.address = address
        self.url = address.url
        self._secrets = [s for s in (password, user and password and f"{user}:{password}") if s]
        credentials = user is not None or password is not None
        insecure = address.scheme == "http" and not address.loopback
        if credentials and insecure and not allow_http_credentials:
            raise LrsAddressError(
                f"{self.url} is plain http://: the LRS user name and password would cross "
                "the network readable by anyone on the way. Use the LRS's https:// address, "
                "or allow it knowingly with --lrs-allow-http."
            )
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._headers = {
            "X-Experience-API-Version": XAPI_VERSION,
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": f"hold-the-line/{__version__}",
        }
        if user is not None or password is not None:
            token = base64.b64encode(f"{user or ''}:{password or ''}".encode()).decode("ascii")
            self._headers["Authorization"] = "Basic " + token
            self._secrets.append(token)
        self.retries = 0

    # ---- messages ---------------------------------------------------------------------------

    def redact(self, text: str) -> str:
        """The text with every form of the credentials replaced (an LRS may echo them)."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text

    def _error(self, message: str) -> LrsError:
        return LrsError(self.redact(message))

    # ---- one HTTP exchange ------------------------------------------------------------------

    def _exchange(self, method: str, target: str, body: bytes | None) -> _Response:
        """One request and its whole answer within the deadline, or _RequestTimeout."""
        deadline = time.monotonic() + self.retry.timeout
        address = self.address
        connection: http.client.HTTPConnection
        if address.scheme == "https":
            connection = http.client.HTTPSConnection(
                address.host,
                address.port,
                timeout=self.retry.timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = http.client.HTTPConnection(
                address.host, address.port, timeout=self.retry.timeout
            )
        expired = threading.Event()

        def cut() -> None:  # the deadline: unblock whatever read or write is waiting
            expired.set()
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), cut)
        watchdog.daemon = True
        watchdog.start()
        try:
            headers = dict(self._headers)
            if body is None:
                headers.pop("Content-Type", None)
            connection.request(method, target, body=body, headers=headers)
            answer = connection.getresponse()
            payload = answer.read()
            if expired.is_set():
                raise _RequestTimeout
            return _Response(
                answer.status,
                answer.reason,
                {k.lower(): v for k, v in answer.getheaders()},
                payload,
            )
        except (OSError, http.client.HTTPException):
            if expired.is_set() or time.monotonic() >= deadline:
                raise _RequestTimeout from None
            raise
        finally:
            watchdog.cancel()
            connection.close()

    def _request(self, method: str, target: str, body: bytes | None = None) -> _Response:
        """A request with retries and same-origin redirects; refusals come back as they are."""
        delay = self.retry.first_delay
        last_problem = ""
        redirects = 0
        attempt = 0
        while True:
            attempt += 1
            wait: float | None = None
            try:
                response = self._exchange(method, target, body)
            except _RequestTimeout:
                last_problem = (
                    f"no complete answer within {self.retry.timeout:g} s (the deadline of one "
                    "request)"
                )
            except (OSError, http.client.HTTPException) as error:
                last_problem = f"cannot reach the LRS ({type(error).__name__}: {error})"
            else:
                if 300 <= response.status < 400:
                    redirects += 1
                    target = self._redirected(method, target, response, redirects)
                    attempt -= 1  # a followed redirect is not a failed attempt
                    continue
                if response.status != 429 and response.status < 500:
                    return response
                last_problem = f"HTTP {response.status} {_snippet(response.body)}".strip()
                wait = _retry_after(response.headers.get("retry-after"))
            if attempt >= self.retry.attempts:
                break
            self.retries += 1
            self._sleep(min(self.retry.max_delay, wait if wait is not None else delay))
            delay *= self.retry.factor
        raise self._error(
            f"{method} {self._shown_target(target)}: {last_problem} after "
            f"{self.retry.attempts} attempts"
        )

    def _redirected(self, method: str, target: str, response: _Response, count: int) -> str:
        """Where a same-origin 307/308 points; any other redirect is an error."""
        location = response.headers.get("location", "")
        here = self._shown_target(target)
        try:
            next_target = urllib.parse.urljoin(self.url, location)
            moved = urllib.parse.urlsplit(next_target)
            same_origin = (
                parse_endpoint_origin(next_target) == self.address.origin
                and moved.username is None
                and not _CONTROL.search(next_target)
            )
        except ValueError:
            same_origin, next_target = False, ""
        shown = _shown(next_target or location) if location else "nowhere"
        if response.status in (307, 308) and same_origin and next_target:
            parts = urllib.parse.urlsplit(next_target)
            if count <= FOLLOWED_REDIRECTS:
                return parts.path + (f"?{parts.query}" if parts.query else "")
        why = (
            "another address: the LRS credentials are never sent anywhere but the address given"
            if not same_origin
            else "the same address, but a redirect that would turn the POST into a GET"
            if response.status in (301, 302, 303)
            else "too many redirects"
        )
        raise self._error(
            f"{method} {here}: the LRS answered HTTP {response.status}, a redirect to {shown} "
            f"({why}); nothing was sent there. If that is the LRS's real address, give it "
            "with --lrs."
        )

    def _shown_target(self, target: str) -> str:
        return urllib.parse.urljoin(self.url, target)

    # ---- statements -------------------------------------------------------------------------

    def send(self, statements: Iterable[Statement], batch: int = DEFAULT_BATCH) -> SendReport:
        """Send statements in batches as they come (any iterable: nothing is held beyond one)."""
        stored = already = different = batches = total = 0
        chunk: list[Statement] = []

        def flush() -> None:
            nonlocal stored, already, different, batches
            batches += 1
            s, a, d = self._send_batch(chunk)
            stored, already, different = stored + s, already + a, different + d
            chunk.clear()

        for statement in statements:
            chunk.append(statement)
            total += 1
            if len(chunk) >= batch:
                flush()
        if chunk:
            flush()
        return SendReport(self.url, total, batches, stored, already, self.retries, different)

    def _send_batch(self, chunk: Sequence[Statement]) -> tuple[int, int, int]:
        sent_ids = [str(s["id"]) for s in chunk]
        if len(set(sent_ids)) != len(sent_ids):
            raise LrsError("a batch holds two statements with the same id: nothing was sent")
        body = json.dumps(list(chunk), ensure_ascii=False).encode("utf-8")
        response = self._request("POST", self.address.path, body)
        if response.status in (200, 201):
            ids = _id_list(response)
            if ids is None:
                raise self._error(
                    f"POST {self.url}: the LRS answered HTTP {response.status} but not with the "
                    "list of statement ids xAPI requires "
                    f"({_describe(response)}): is this really the LRS, not a login page or "
                    "a proxy? Nothing is counted as stored."
                )
            unknown = [i for i in ids if i not in set(sent_ids)]
            if unknown or len(set(ids)) != len(ids):
                raise self._error(
                    f"POST {self.url}: the LRS answered with statement ids that were not sent "
                    f"(or twice): {', '.join(unknown[:5]) or 'duplicates'}"
                )
            order = [i for i in sent_ids if i in set(ids)]
            if order != ids:
                raise self._error(
                    f"POST {self.url}: the LRS listed the statement ids out of order, which "
                    "xAPI does not allow"
                )
            missing = [s for s in chunk if str(s["id"]) not in set(ids)]
            there = self._confirm_held(missing, answered=len(ids), sent=len(chunk))
            return len(ids), there, 0
        if response.status == 204:
            return 0, len(chunk), 0
        if response.status == 409:
            stored = already = different = 0
            for item in chunk:
                status = self._put(item)
                if status == 409:
                    already += 1
                    different += 1
                else:
                    stored += 1
            return stored, already, different
        raise self._error(_refusal("POST", self.url, response))

    def _confirm_held(self, missing: Sequence[Statement], *, answered: int, sent: int) -> int:
        """Statements a 200 did not list: the LRS may already have had them; else an error."""
        absent: list[str] = []
        for statement in missing:
            query = urllib.parse.urlencode({"statementId": statement["id"]})
            response = self._request("GET", f"{self.address.path}?{query}")
            if response.status != 200:
                absent.append(str(statement["id"]))
                continue
            try:
                held = json.loads(response.body)
            except ValueError:
                held = None
            if not isinstance(held, dict) or held.get("id") != statement["id"]:
                absent.append(str(statement["id"]))
        if absent:
            raise self._error(
                f"POST {self.url}: the LRS confirmed only {answered} of {sent} statements, and "
                f"does not hold {len(absent)} of the others (e.g. {', '.join(absent[:3])}); "
                "send again later — the ids stay the same, so nothing is duplicated"
            )
        return len(missing)

    def _put(self, statement: Statement) -> int:
        query = urllib.parse.urlencode({"statementId": statement["id"]})
        body = json.dumps(statement, ensure_ascii=False).encode("utf-8")
        response = self._request("PUT", f"{self.address.path}?{query}", body)
        if response.status in (200, 201, 204, 409):
            return response.status
        raise self._error(_refusal("PUT", self.url, response))

    def fetch_all(self, *, limit: int = 0, **filters: str) -> tuple[Statement, ...]:
        """GET statements (following same-origin `more` links): to check what the LRS holds."""
        query = dict(filters)
        if limit:
            query["limit"] = str(limit)
        target = self.address.path + ("?" + urllib.parse.urlencode(query) if query else "")
        found: list[Statement] = []
        while target:
            response = self._request("GET", target)
            if response.status != 200:
                raise self._error(_refusal("GET", self.url, response))
            page = json.loads(response.body)
            found.extend(page.get("statements", []))
            more = page.get("more") or ""
            if not more:
                break
            following = urllib.parse.urljoin(self.url, more)
            if parse_endpoint_origin(following) != self.address.origin:
                raise self._error(f"the LRS's `more` link points to another address: {more!r}")
            parts = urllib.parse.urlsplit(following)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        return tuple(found)


def parse_endpoint_origin(url: str) -> tuple[str, str, int] | None:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return (parts.scheme, parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80))


def _id_list(response: _Response) -> list[str] | None:
    """The ids of a POST answer, or None if the body is not a JSON array of strings."""
    try:
        ids = json.loads(response.body)
    except ValueError:
        return None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return None
    return ids


def _describe(response: _Response) -> str:
    kind = response.headers.get("content-type", "no content type")
    return f"{kind}, {len(response.body)} bytes: {_snippet(response.body, 80)!r}"


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _snippet(body: bytes, limit: int = 300) -> str:
    text = _CONTROL.sub(" ", body.decode("utf-8", "replace")).strip()
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _refusal(method: str, url: str, response: _Response) -> str:
    hint = {
        400: "the LRS rejected the statements as invalid",
        401: "the LRS did not accept the user name or password",
        403: "this LRS account may not write statements",
        404: "no xAPI statements resource there: check the endpoint address",
    }.get(response.status, "the LRS refused the request")
    return f"{method} {url}: HTTP {response.status}: {hint}. {_snippet(response.body)}".strip()
