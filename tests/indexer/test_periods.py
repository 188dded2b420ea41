"""Periods and dynasties by their names in every language: what a value names, its names, its label."""

import re

import pytest

from catalogue.records.dates import parse_date
from catalogue.reference import gazetteer, periods
from catalogue.text import fold
from indexer.analysis import CJK_RANGES
from indexer.periods import period_facet_label, period_names, periods_named

LANGUAGES = ("de", "fr", "ja", "ko", "zh")
ASIAN_AND_ISLAMIC = {"JP", "CN", "KR", "IN", "KH", "TH", "MM", "ID", "VN", "IR", "TR"}
ISLAMIC = {"Umayyad", "Abbasid", "Fatimid", "Seljuk", "Ayyubid", "Mamluk", "Ilkhanid", "Timurid", "Nasrid"}
STYLES = {"Romanesque", "Gothic", "Renaissance", "Mannerist", "Baroque", "Rococo", "Neoclassical", "Art Nouveau"}
CJK = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in CJK_RANGES) + "]")


@pytest.mark.parametrize(
    "value, named",
    [
        ("Edo", ["Edo"]),
        ("late Edo", ["Edo"]),
        ("mid-Edo", ["Edo"]),
        ("Edo period", ["Edo"]),
        ("Edo-Meiji", ["Edo", "Meiji"]),
        ("late Edo; Meiji; Muromachi", ["Edo", "Meiji", "Muromachi"]),
        ("Qing [Ch'ing] Dynasty", ["Qing"]),
        ("Ming [Ming] Dynasty-Qing [Ch'ing] Dynasty", ["Ming", "Qing"]),
        ("Mughal Dynasty, Safavid Dynasty", ["Mughal", "Safavid"]),
        ("Safavid (?)", ["Safavid"]),
        ("Joseon [Choson]", ["Joseon"]),
        ("Azuchi-Momoyama", ["Momoyama"]),  # one name with a hyphen
        ("Late Period-Greco-Roman", ["Late Period", "Roman"]),  # "Late Period" is a name, not late "Period"
        ("late Middle Kingdom", ["Middle Kingdom"]),
        ("江戸時代", ["Edo"]),
        ("江戸時代後期", ["Edo"]),
        ("조선 후기", ["Joseon"]),
        ("清", ["Qing"]),  # a single character names a period only as a whole value
        ("Late Formative-Early Classic", []),  # Mesoamerican: no gazetteer period
        ("18th Dynasty", []),
        ("Tlatilco", []),
    ],
)
def test_a_value_names_the_periods_the_museum_wrote(value, named):
    assert periods_named(value) == named


@pytest.mark.parametrize("value", ["Edo", "late Edo", "Edo period", "Edo-Meiji", "江戸時代", "Tokugawa"])
def test_a_period_value_has_every_name_of_the_period(value):
    assert {"江戸時代", "Edo-Zeit", "époque d'Edo", "에도 시대", "江户时代", "江戸", "江戶"} <= set(period_names(value))


def test_a_value_naming_no_period_has_no_names():
    assert period_names("Tlatilco") == () == period_names("Japanese")


def test_a_dynasty_has_its_names_in_chinese_korean_and_japanese_with_the_short_and_traditional_forms():
    assert {"清朝", "清代", "清", "청나라", "Qing-Dynastie", "dynastie Qing"} <= set(period_names("Qing Dynasty"))
    assert {"明朝", "明代", "明", "명나라"} <= set(period_names("Ming"))
    assert {"朝鮮王朝", "朝鲜王朝", "조선"} <= set(period_names("Joseon"))


@pytest.mark.parametrize(
    "value, lang, label",
    [
        ("Edo", "ja", "江戸時代"),
        ("Edo", "de", "Edo-Zeit"),
        ("Edo", "fr", "époque d'Edo"),
        ("Edo", "ko", "에도 시대"),
        ("Edo", "zh", "江户时代"),
        ("Edo period", "ja", "江戸時代"),
        ("Qing [Ch'ing] Dynasty", "ko", "청나라"),
        ("Joseon", "zh", "朝鲜王朝"),
    ],
)
def test_a_period_value_is_labelled_in_the_pages_language(value, lang, label):
    assert period_facet_label(value, [lang, "en"]) == (label, lang)


@pytest.mark.parametrize("value", ["late Edo", "Edo-Meiji", "Safavid (?)", "Tlatilco"])
def test_a_qualified_uncertain_or_double_value_keeps_its_words(value):
    """A value "late Edo" labelled 江戸時代 would drop what the museum said; such values stand as indexed."""
    assert period_facet_label(value, ["ja"]) is None


def test_a_language_without_a_name_keeps_the_value():
    assert period_facet_label("Edo", ["en"]) is None
    assert period_facet_label("Edo", ["nl", "ja"]) is None  # the page's language only, as for cultures


def test_asian_islamic_and_style_periods_are_named_in_every_language():
    for entry in gazetteer():
        if entry["country"] in ASIAN_AND_ISLAMIC or entry["name"] in ISLAMIC | STYLES:
            assert set(entry.get("labels", {})) == set(LANGUAGES), entry["name"]


def test_every_name_names_one_period():
    """A name shared by two periods would give a record the other's names and label."""
    owner: dict[str, str] = {}
    for entry in gazetteer():
        names = [entry["name"], *entry["aliases"], *entry.get("labels", {}).values(), *entry.get("variants", [])]
        for name in names:
            assert owner.setdefault(fold(name), entry["name"]) == entry["name"], name


def test_labels_and_variants_never_date_text():
    """The date parser reads names and aliases only: 明, 清, 金, 元 are ordinary words in Chinese
    and Japanese text, and a museum's display date in CJK was undated before and stays so."""
    assert not any(CJK.search(name) for name, *_ in periods())
    for text in ("明", "清", "金", "元", "金箔 明 清", "江戸時代", "清朝", "朝鮮王朝"):
        assert parse_date(text) is None, text
    assert parse_date("Edo period") is not None  # the English names still date
