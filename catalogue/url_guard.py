"""The address guard for URLs that others name (SSRF): http and https only, public addresses only.

Records name images by URL, and the catalogue fetches them from inside its own network. Without
this guard a record could make it read a cloud metadata service, an admin page on localhost or a
database on the private network. A host is resolved once, here; every address it resolves to must
be public, and the caller connects to exactly the address returned, so a second DNS answer
(rebinding) cannot send the request elsewhere. Spellings such as ``2130706433``, ``0x7f.1`` or
``[::ffff:127.0.0.1]`` need no rule of their own: they resolve to the address they hide.
"""

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

SCHEMES = {"http": 80, "https": 443}
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598): inside a provider
PATH_SAFE = "/%:@!$&'()*+,;=-._~"  # what a request target may carry as it is; "%" keeps escapes

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """A URL we do not fetch: not http(s), not a URL, or a host inside our own network."""


class NotResolved(Exception):
    """The host name did not resolve; DNS may answer later."""


@dataclass(frozen=True)
class Target:
    """Where one request goes: the host as the Host header and TLS name it (IDNA, lower case)."""

    scheme: str
    host: str
    port: int
    path: str  # path and query, percent-encoded


@dataclass(frozen=True)
class AllowList:
    """Hosts (``host`` or ``host:port``) exempt from the address check, e.g. a local test server."""

    entries: frozenset[tuple[str, int | None]] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, text: str | None) -> "AllowList":
        """A comma list such as ``127.0.0.1:8080, images.local``; ValueError names a bad entry."""
        entries = set()
        for item in (part.strip().lower() for part in (text or "").split(",")):
            if not item:
                continue
            parts = urlsplit("//" + item)
            try:
                port = parts.port
            except ValueError:
                port = -1
            if not parts.hostname or port == -1 or parts.path or parts.query or parts.username:
                raise ValueError(f"{item!r} is not a host or host:port")
            entries.add((parts.hostname, port))
        return cls(frozenset(entries))

    def allows(self, target: Target) -> bool:
        return (target.host, target.port) in self.entries or (target.host, None) in self.entries


def parse_target(url: str) -> Target:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise Refused("not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise Refused("only http and https URLs are fetched")
    if not parts.hostname:
        raise Refused("the URL names no host")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise Refused("not a valid host name") from None
    path = quote(parts.path or "/", safe=PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=PATH_SAFE + "?")
    return Target(scheme, host, port or SCHEMES[scheme], path)


def checked_address(target: Target, allow: AllowList) -> str:
    """The one address to connect to. Every address the host resolves to must be public (one bad
    answer refuses them all), unless the allow list names the host."""
    try:
        answers = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise NotResolved(f"{target.host} could not be resolved ({error})") from None
    addresses = list(dict.fromkeys(str(answer[4][0]) for answer in answers))
    if not addresses:
        raise NotResolved(f"{target.host} has no address")
    if not allow.allows(target):
        for address in addresses:
            reason = refusal(ipaddress.ip_address(address.split("%")[0]))
            if reason:
                where = address if address == target.host else f"{target.host} ({address})"
                raise Refused(f"{where} is {reason}")
    return addresses[0]


def refusal(ip: IPAddress) -> str | None:
    """Why we may not connect to this address; None for a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 reaches 127.0.0.1
    site_local = isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local
    for refused, reason in (
        (ip in METADATA, "a cloud metadata address"),
        (ip.is_unspecified, "the unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip in SHARED, "a carrier-grade NAT address"),
        (ip.is_private or site_local, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    ):
        if refused:
            return reason
    return None
