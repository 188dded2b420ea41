"""The address guard for URLs that records name: only http and https, and never an address inside
our own network (loopback, private, link-local, cloud metadata, CGNAT, multicast, reserved) in
any spelling, unless CATALOGUE_IMAGE_FETCH_ALLOW_HOSTS names the host."""

import ipaddress

import pytest

from catalogue import config
from catalogue.url_guard import AllowList, Refused, checked_address, parse_target, refusal

NOBODY = AllowList()


@pytest.mark.parametrize(
    "address, reason",
    [
        ("127.0.0.1", "a loopback address"),
        ("127.255.0.9", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("169.254.10.10", "a link-local address"),
        ("0.0.0.0", "the unspecified address"),
        ("100.64.0.1", "a carrier-grade NAT address"),
        ("224.0.0.1", "a multicast address"),
        ("240.0.0.1", "a private address"),  # "reserved for future use": Python counts it private
        ("192.0.2.7", "a private address"),  # documentation
        ("::1", "a loopback address"),
        ("::", "the unspecified address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("::ffff:169.254.169.254", "a cloud metadata address"),
        ("fd00::1", "a private address"),
        ("fc00::1", "a private address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("fe80::1", "a link-local address"),
        ("fec0::1", "a private address"),  # site-local (deprecated)
        ("ff02::1", "a multicast address"),
        ("2001:db8::1", "a private address"),  # documentation
    ],
)
def test_addresses_inside_our_network_are_refused(address, reason):
    assert refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "151.101.1.69", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url, shown",
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://2130706433/", "127.0.0.1"),  # decimal
        ("http://0x7f.1/", "127.0.0.1"),  # hex, short form
        ("http://0x7f000001/", "127.0.0.1"),
        ("http://0177.0.0.1/", "127.0.0.1"),  # octal
        ("http://127.1/", "127.0.0.1"),
        ("http://0/", "0.0.0.0"),
        ("http://localhost:8080/x.jpg", None),  # 127.0.0.1 or ::1, whichever the resolver gives first
        ("http://[::1]/", "::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1"),
        ("http://[fd00::1]/", "fd00::1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://10.0.0.1/", "10.0.0.1"),
    ],
)
def test_every_spelling_of_an_inside_address_is_refused(url, shown):
    with pytest.raises(Refused) as refused:
        checked_address(parse_target(url), NOBODY)
    if shown:
        assert str(refused.value).startswith(shown) or f"({shown})" in str(refused.value)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("ftp://example.org/a.jpg", "only http and https URLs are fetched"),
        ("file:///etc/passwd", "only http and https URLs are fetched"),
        ("gopher://example.org/", "only http and https URLs are fetched"),
        ("javascript:alert(1)", "only http and https URLs are fetched"),
        ("//example.org/a.jpg", "only http and https URLs are fetched"),
        ("http:///a.jpg", "the URL names no host"),
        ("http://example.org:99999/a.jpg", "not a valid URL"),
        ("http://a..b/a.jpg", "not a valid host name"),
    ],
)
def test_urls_that_are_not_http_are_refused(url, reason):
    with pytest.raises(Refused, match=reason):
        parse_target(url)


def test_a_target_keeps_the_name_for_the_host_header_and_escapes_the_path():
    target = parse_target("https://例え.jp/画像 1.jpg?size=max&x=ü")
    assert (target.scheme, target.host, target.port) == ("https", "xn--r8jz45g.jp", 443)
    assert target.path == "/%E7%94%BB%E5%83%8F%201.jpg?size=max&x=%C3%BC"
    assert parse_target("HTTP://Example.ORG:8080").path == "/"
    assert parse_target("http://example.org/a%20b.jpg").path == "/a%20b.jpg"  # escapes stay as they are


def test_the_allow_list_names_hosts_or_host_and_port():
    allow = AllowList.parse(" 127.0.0.1:8080, Images.Local ,")
    assert checked_address(parse_target("http://127.0.0.1:8080/a.jpg"), allow) == "127.0.0.1"
    with pytest.raises(Refused):
        checked_address(parse_target("http://127.0.0.1:8081/a.jpg"), allow)  # another port
    with pytest.raises(Refused):
        checked_address(parse_target("http://2130706433:8080/a.jpg"), allow)  # another name for it
    assert allow.allows(parse_target("https://images.local/a.jpg"))
    assert allow.allows(parse_target("http://images.local:9000/a.jpg"))


@pytest.mark.parametrize("entry", ["http://example.org", "example.org/path", "host:port", "user@host", ":80"])
def test_an_unusable_allow_list_stops_the_app_with_the_variable_named(entry):
    with pytest.raises(config.ConfigurationError, match="CATALOGUE_IMAGE_FETCH_ALLOW_HOSTS"):
        config.finish(config.from_environment({"CATALOGUE_IMAGE_FETCH_ALLOW_HOSTS": entry}))


def test_the_allow_list_is_empty_unless_set():
    settings = config.finish(config.from_environment({}))
    assert settings["IMAGE_FETCH_ALLOW_HOSTS"] == AllowList()
    assert settings["IMAGE_FETCH_SECONDS"] == 60 and settings["IMAGE_FETCH_ATTEMPTS"] == 5
