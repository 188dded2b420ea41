"""Museums: members come from ASEM partner countries; others are guests; regions follow ASEM groups."""

import pytest

from catalogue import reference
from catalogue.cli import cli_actor
from catalogue.errors import Forbidden, ValidationFailed
from catalogue.models import Actor


def test_the_partnership_has_46_countries_as_data():
    assert len(reference.asem_partners()) == 46
    assert {"JP", "IN", "SE", "PT", "VN", "LA"} <= reference.asem_partners()
    assert "US" not in reference.asem_partners()


@pytest.mark.parametrize(
    "country, region",
    [("JP", "asia"), ("AU", "asia"), ("RU", "asia"), ("SE", "europe"), ("PT", "europe"), ("US", "americas")],
)
def test_region_comes_from_the_country(make_museum, country, region):
    status = "member" if reference.is_asem_partner(country) else "guest"
    assert make_museum(f"m-{country.lower()}", country=country, status=status).region == region


def test_a_member_must_be_in_a_partner_country(make_museum):
    with pytest.raises(ValidationFailed) as caught:
        make_museum("walters", country="US", status="member")
    assert caught.value.errors[0]["field"] == "status"
    assert make_museum("walters", country="US", status="guest").status == "guest"


def test_country_names_are_read_as_codes(make_museum):
    assert make_museum("tnm", country="Nihon").country == "JP"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"code": "Bad Code!", "names": {"en": ["X"]}, "country": "JP", "status": "member"}, "code"),
        ({"code": "x1", "names": {}, "country": "JP", "status": "member"}, "names"),
        ({"code": "x1", "names": {"en": ["X"]}, "country": "Atlantis", "status": "guest"}, "country"),
        ({"code": "x1", "names": {"en": ["X"]}, "country": "JP", "status": "royal"}, "status"),
    ],
)
def test_invalid_museums_are_refused_with_the_field(service, data, field):
    with pytest.raises(ValidationFailed) as caught:
        service.register_museum(cli_actor(), data)
    assert caught.value.errors[0]["field"] == field


def test_only_administrators_register_museums(service):
    with pytest.raises(Forbidden):
        service.register_museum(
            Actor(name="c", role="curator", museum="tate"),
            {"code": "x1", "names": {"en": ["X"]}, "country": "JP", "status": "member"},
        )
