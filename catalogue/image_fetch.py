"""Downloading an image a record names by URL: guarded, pinned to the checked address, and bounded
in time, redirects and bytes. What happens to the bytes (checks, pyramid) is the service's upload
path; when to try again is ``FetchPolicy.retry_delay``."""

import http.client
import socket
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urljoin

from catalogue.url_guard import AllowList, NotResolved, Refused, Target, checked_address, parse_target

REDIRECTS = {301, 302, 303, 307, 308}
RETRY_STATUSES = {408, 425, 429}  # and every 5xx: the server may answer later
CHUNK = 64 * 1024
LONGEST_LENGTH = 18  # digits of a Content-Length we read: no image is an exabyte


class FetchFailed(Exception):
    """Why a download failed, and whether trying again later may help."""

    def __init__(self, reason: str, retry: bool):
        super().__init__(reason)
        self.reason, self.retry = reason, retry


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int
    timeout: float = 10.0  # to connect, and for each read
    total_seconds: float = 120.0  # for a whole download, however slowly it trickles in
    max_redirects: int = 5
    attempts: int = 5  # then the source has failed for good
    first_delay: timedelta = timedelta(minutes=1)
    allow: AllowList = field(default_factory=AllowList)
    user_agent: str = "asem-catalogue image fetcher"
    tls: ssl.SSLContext = field(default_factory=ssl.create_default_context, compare=False, repr=False)  # trusted CAs

    def retry_delay(self, attempts: int) -> timedelta:
        """After the 1st, 2nd, 3rd... failed attempt: 1, 5, 25... minutes (with the default), so a
        server that is down for a while is not hammered, and one that hiccups is soon tried again."""
        return self.first_delay * 5 ** (attempts - 1)


@dataclass(frozen=True)
class SourceFailure:
    """One image source that failed in a fetch run, as ``catalogue fetch-images`` lists it."""

    museum: str
    local_id: str
    url: str
    reason: str
    next_attempt_at: datetime | None  # None: failed for good

    def __str__(self) -> str:
        where = f"{self.museum} {self.local_id} {self.url}"
        if self.next_attempt_at is None:
            return f"failed {where}: {self.reason}"
        return f"retry {where}: {self.reason} (next attempt {self.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC)"


@dataclass
class FetchReport:
    fetched: int = 0
    failures: list[SourceFailure] = field(default_factory=list)
    waiting: int = 0  # sources still pending after the run: retries to come, or past a --limit

    @property
    def failed(self) -> int:
        """Sources that failed for good in this run (the others are tried again later)."""
        return sum(1 for failure in self.failures if failure.next_attempt_at is None)

    def summary(self) -> str:
        return f"images fetched {self.fetched}, failed {self.failed}, waiting {self.waiting}"


def download(url: str, policy: FetchPolicy) -> bytes:
    """The body of ``url`` after at most ``max_redirects`` redirects, each hop checked by the
    address guard; raises FetchFailed."""
    deadline = time.monotonic() + policy.total_seconds
    with _as_fetch_failures(policy):
        for _hop in range(policy.max_redirects + 1):
            target = parse_target(url)
            connection = _connection(target, checked_address(target, policy.allow), policy)
            try:
                connection.request("GET", target.path, headers={"User-Agent": policy.user_agent, "Accept": "image/*"})
                with connection.getresponse() as response:  # closing it hangs up on a huge or slow body
                    location = _redirect_or_success(response)
                    if location is None:
                        return _body(response, policy, deadline)
            finally:
                connection.close()
            url = urljoin(url, location)
    raise FetchFailed(f"more than {policy.max_redirects} redirects", retry=False)


def _redirect_or_success(response: http.client.HTTPResponse) -> str | None:
    """The Location of a redirect, None for a success; any other answer is a failure."""
    status = response.status
    if status in REDIRECTS:
        location = response.getheader("Location")
        if not location:
            raise FetchFailed(f"a redirect ({status}) without a Location", retry=False)
        return location
    if 200 <= status < 300:
        return None
    retry = status >= 500 or status in RETRY_STATUSES
    raise FetchFailed(f"the server answered {status} {response.reason}".strip(), retry=retry)


def _body(response: http.client.HTTPResponse, policy: FetchPolicy, deadline: float) -> bytes:
    """Read at most ``max_bytes``: a declared length beyond it stops before reading, a stream
    without one stops as soon as it passes the limit."""
    declared = (response.getheader("Content-Length") or "").strip()
    if declared.isdigit() and len(declared) > LONGEST_LENGTH:  # int() would refuse 4,300 digits
        raise FetchFailed(f"the image is larger than the limit of {policy.max_bytes} bytes", retry=False)
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchFailed(f"the image is {int(declared)} bytes; the limit is {policy.max_bytes}", retry=False)
    chunks, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchFailed(f"the image is larger than the limit of {policy.max_bytes} bytes", retry=False)
        if time.monotonic() > deadline:
            raise FetchFailed(f"the download took longer than {policy.total_seconds:g} s", retry=True)
        chunks.append(chunk)
    return b"".join(chunks)


@contextmanager
def _as_fetch_failures(policy: FetchPolicy) -> Iterator[None]:
    """Every way a download can go wrong, as a reason and whether a later try may succeed."""
    try:
        yield
    except Refused as error:
        raise FetchFailed(f"refused: {error}", retry=False) from None
    except NotResolved as error:
        raise FetchFailed(str(error), retry=True) from None
    except ssl.SSLCertVerificationError as error:
        raise FetchFailed(f"the TLS certificate was not accepted ({error.verify_message})", retry=False) from None
    except TimeoutError:
        raise FetchFailed(f"no answer within {policy.timeout:g} s", retry=True) from None
    except (OSError, http.client.HTTPException) as error:
        raise FetchFailed(f"the connection failed ({error or type(error).__name__})", retry=True) from None


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to the address the guard checked: the host name is not resolved again. The Host header
    (and, for HTTPS, the TLS server name and certificate check) keep the name."""

    def __init__(self, target: Target, address: str, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(_PinnedHTTP):
    default_port = 443

    def __init__(self, target: Target, address: str, timeout: float, tls: ssl.SSLContext):
        super().__init__(target, address, timeout)
        self.tls = tls

    def connect(self) -> None:
        super().connect()
        self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)


def _connection(target: Target, address: str, policy: FetchPolicy) -> _PinnedHTTP:
    if target.scheme == "https":
        return _PinnedHTTPS(target, address, policy.timeout, policy.tls)
    return _PinnedHTTP(target, address, policy.timeout)
