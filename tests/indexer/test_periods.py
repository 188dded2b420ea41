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


@pytest.mark.parametrize(
    "value, lang, label",
    [
        ("late Edo", "ja", "江戸時代後期"),
        ("mid Edo", "ja", "江戸時代中期"),
        ("early Edo", "ja", "江戸時代前期"),
        ("late Edo", "zh", "江户时代晚期"),
        ("mid Edo", "zh", "江户时代中期"),
        ("early Edo", "zh", "江户时代早期"),
        ("late Edo", "ko", "에도 시대 후기"),
        ("mid Edo", "ko", "에도 시대 중기"),
        ("early Edo", "ko", "에도 시대 전기"),
        ("late Edo", "de", "Edo-Zeit (Spätphase)"),
        ("mid Edo", "de", "Edo-Zeit (mittlere Phase)"),
        ("early Edo", "de", "Edo-Zeit (Frühphase)"),
        ("late Edo", "fr", "époque d'Edo (fin)"),
        ("mid Edo", "fr", "époque d'Edo (milieu)"),
        ("early Edo", "fr", "époque d'Edo (début)"),
        ("middle Edo", "ja", "江戸時代中期"),
        ("mid-Edo", "ja", "江戸時代中期"),
        ("late Edo period", "ja", "江戸時代後期"),
        ("Late Medieval", "ja", "中世後期"),
        ("Early Medieval", "fr", "Moyen Âge (début)"),
        ("early Renaissance", "zh", "文艺复兴早期"),
        ("late Middle Kingdom", "de", "Mittleres Reich (Spätphase)"),
        ("early Ptolemaic Dynasty", "ko", "프톨레마이오스 왕조 전기"),
        ("Early Byzantine", "ja", "ビザンツ帝国前期"),  # an alias of Byzantine, qualified all the same
    ],
)
def test_a_qualified_period_is_labelled_with_the_qualifier_in_the_pages_language(value, lang, label):
    """A museum's "late Edo" labelled 江戸時代 would drop what the museum said, and left as it is
    reads English on a Japanese page: it is 江戸時代後期 there, "époque d'Edo (fin)" on a French one."""
    assert period_facet_label(value, [lang, "en"]) == (label, lang)


@pytest.mark.parametrize(
    "value, lang, label",
    [
        ("Edo-Meiji", "ja", "江戸時代〜明治時代"),
        ("late Edo-Meiji", "ja", "江戸時代後期〜明治時代"),
        ("late Edo-Meiji", "zh", "江户时代晚期—明治时代"),
        ("late Edo-Meiji", "ko", "에도 시대 후기~메이지 시대"),
        ("late Edo-Meiji", "de", "Edo-Zeit (Spätphase) – Meiji-Zeit"),
        ("late Edo-Meiji", "fr", "époque d'Edo (fin) – ère Meiji"),
        ("Medieval-early Renaissance", "de", "Mittelalter – Renaissance (Frühphase)"),
        ("Meiji-Taisho", "zh", "明治时代—大正时代"),
        ("Ming [Ming]-Qing [Ch'ing] Dynasty", "ko", "명나라~청나라"),
        ("Ming [Ming] Dynasty-Qing [Ch'ing] Dynasty", "ja", "明時代〜清時代"),
        ("late Middle Kingdom-early New Kingdom", "fr", "Moyen Empire (fin) – Nouvel Empire (début)"),
        ("late Third Intermediate-early Late Period", "ja", "第3中間期後期〜末期王朝時代前期"),
    ],
)
def test_two_periods_joined_are_their_names_joined_with_the_pages_dash(value, lang, label):
    assert period_facet_label(value, [lang, "en"]) == (label, lang)


@pytest.mark.parametrize(
    "value, lang, label",
    [
        ("Late Period", "de", "Spätzeit"),  # a name, not the late part of a "Period"
        ("Middle Kingdom", "ja", "中王国時代"),
        ("Early Dynastic", "fr", "période thinite"),
        ("Azuchi-Momoyama", "ja", "安土桃山時代"),  # one name with a hyphen, not two periods
    ],
)
def test_a_name_that_begins_with_a_qualifier_or_holds_a_hyphen_is_that_name(value, lang, label):
    assert period_facet_label(value, [lang]) == (label, lang)


@pytest.mark.parametrize(
    "value",
    [
        "Safavid (?)",  # uncertain
        "late Ptolemaic Dynasty (?)",
        "Edo; Meiji",  # several periods, listed
        "late Edo; Meiji; Muromachi",
        "Mughal Dynasty, Safavid Dynasty",
        "Kamakura (?), Muromachi (?)",
        "Greco-Roman",  # a part no period: Roman alone would be half the label
        "Late Period-Greco-Roman",
        "Ottoman-Islamic",
        "Edo-Meij",
        "Edo-Meiji-Taisho",  # three periods: no span of two
        "Early Modern",  # a qualifier before no period of the gazetteer
        "late Antique",
        "Late Formative-Early Classic",
        "Tlatilco",
    ],
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_value_not_wholly_understood_keeps_its_words(value, lang):
    """Never a label half translated: the museum's words stand, as indexed."""
    assert period_facet_label(value, [lang, "en"]) is None


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_joined_periods_one_of_which_has_no_name_in_the_language_keep_their_words(lang):
    """The gazetteer names the Late Period in neither Korean nor Chinese."""
    assert period_facet_label("late Third Intermediate-early Late Period", [lang]) is None


@pytest.mark.parametrize("value", ["late Edo", "mid Edo", "early Edo", "Edo-Meiji", "late Edo-Meiji", "Late Medieval"])
def test_an_english_page_keeps_the_museums_words(value):
    assert period_facet_label(value, ["en", "ja"]) is None


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
