"""Makers reconciled: one facet value per person whatever the museum wrote; cultures and anonymity
named as such, not as people."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from indexer.analysis import tokens
from indexer.makers import (
    ANONYMOUS,
    AUTHORITY_FILE,
    CULTURE,
    PERSON,
    Authority,
    Entry,
    ReconciledMaker,
    authority,
    culture_facet_label,
    culture_names,
    kana_forms,
    maker_label,
    merge_candidates,
    person_of,
    reconcile,
)
from tests.support import shared_records_path


def value(name: str, birth: int | None = None, death: int | None = None, **more) -> str:
    return reconcile({"name": name, "birth_year": birth, "death_year": death, **more}).value


def test_turners_three_forms_are_one_maker():
    tate = value("Joseph Mallord William Turner", 1775, 1851)
    assert tate == value("J.M.W. Turner") == value("Turner, Joseph Mallord William") == value("J. M. W. Turner")
    assert tate == "Joseph Mallord William Turner"


def test_mortimers_two_forms_are_one_maker():
    assert value("John H. Mortimer", 1740, 1779) == value("John Hamilton Mortimer", 1740, 1779)


def test_initials_and_life_years_find_the_authority_without_a_listed_variant():
    assert value("J. Hamilton Mortimer", 1740, 1779) == "John Hamilton Mortimer"
    assert value("J. Hamilton Mortimer") == "J. Hamilton Mortimer"  # no years: not enough to say who it is


def test_a_namesake_with_other_life_years_is_not_the_authoritys_person():
    assert value("Hokusai", 1760, 1849) == "Katsushika Hokusai"
    assert value("Hokusai", 1900, 1950) == "Hokusai"


def test_aliases_carry_the_authoritys_other_names():
    tate = reconcile({"name": "Joseph Mallord William Turner", "birth_year": 1775, "death_year": 1851})
    assert "J.M.W. Turner" in tate.aliases and "Joseph Mallord William Turner" not in tate.aliases
    indexed = set(tokens(" ".join(tate.aliases)))
    assert set(tokens("J.M.W. Turner")) <= indexed  # a search for "J.M.W. Turner" finds Tate's records
    hokusai = reconcile({"name": "Katsushika Hokusai"})
    assert "葛飾北斎" in hokusai.aliases and "Hokusai" in hokusai.aliases


def test_the_demos_masterpieces_are_found_by_their_makers_names_in_japanese_chinese_and_korean():
    """Visitors in Japan, China and Korea search ムンク, 蒙克 or 뭉크 for The Scream (Japanese writes a
    European name in katakana, an East Asian one in kanji)."""
    demo = Path(__file__).resolve().parents[2] / "demo" / "image_records.jsonl"
    records = [json.loads(line) for line in demo.read_text(encoding="utf-8").splitlines() if line.strip()]
    kana, han, hangul = "[\u30a0-\u30ff]", "[\u4e00-\u9fff]", "[\uac00-\ud7af]"
    for record in (r for r in records if r.get("masterpiece")):
        for maker in record["makers"]:
            aliases = " ".join(reconcile(maker).aliases)
            japanese = han if re.search(han, maker["name"]) else kana
            missing = [script for script in (japanese, han, hangul) if not re.search(script, aliases)]
            assert not missing, (maker["name"], missing)


@pytest.mark.parametrize(
    "traditional, label",
    [("透納", "Joseph Mallord William Turner"), ("倫勃朗", "Rembrandt van Rijn"), ("愛德華·蒙克", "Edvard Munch")],
)
def test_a_makers_chinese_name_in_traditional_characters_is_theirs_too(traditional, label):
    """Visitors in Taiwan and Hong Kong write 透納 where the authority had only 透纳."""
    assert value(traditional) == label
    assert traditional in reconcile({"name": label}).aliases


def test_a_japanese_makers_kana_reading_is_an_alias_in_hiragana_and_katakana():
    assert kana_forms("かつしか ほくさい") == ("かつしかほくさい", "カツシカホクサイ")
    hokusai = reconcile({"name": "葛飾北斎"})
    assert {"かつしかほくさい", "カツシカホクサイ"} <= set(hokusai.aliases)
    indexed = " ".join(tokens(" ".join(hokusai.aliases)))
    assert " ".join(tokens("ほくさい")) in indexed and " ".join(tokens("ホクサイ")) in indexed  # phrases within


def test_a_maker_written_differently_gets_the_label_as_an_alias():
    cmoa = reconcile({"name": "Hiroshige Andō", "birth_year": 1797, "death_year": 1858})
    assert cmoa.value == "Utagawa Hiroshige" == value("Ando Hiroshige (Japanese, 1797-1858)")
    assert "Utagawa Hiroshige" in cmoa.aliases and "Hiroshige Andō" not in cmoa.aliases


@pytest.mark.parametrize(
    "names",
    [
        ["Kuniyoshi Utagawa", "Utagawa Kuniyoshi (Japanese, 1798-1861)", "歌川国芳"],
        ["Kunisada (Toyokuni III)", "Utagawa Toyokuni III (Japanese, 1786-1864)"],
        ["Yoshitoshi Taiso", "Taiso Yoshitoshi (Japanese, 1839-1892)", "月岡芳年"],
        ["Jacopo Robusti (called Tintoretto)", "Tintoretto"],
        ["Sèvres Porcelain Factory", "Sèvres Porcelain Manufactory (French, active 1756-present)"],
        ["Rembrandt Harmensz. van Rijn", "Rijn, Rembrandt van", "レンブラント"],
        ["Qi Baishi", "齐白石", "齊白石"],
        ["Kim Hong-do", "김홍도", "金弘道"],
    ],
)
def test_forms_the_rules_cannot_join_are_joined_by_the_authority(names):
    assert len({value(name) for name in names}) == 1


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Doijer, Hendrik", "Hendrik Doijer"),
        ("Lelyveld, Théodore van", "Théodore van Lelyveld"),  # particles stay before the surname, accents stay
        ("Poll, Willem van de", "Willem van de Poll"),
        ("Heemskerck van Beest, jonkheer Jacob Eduard van", "Jacob Eduard van Heemskerck van Beest"),
        ("Ablaing van Giessenburg, Rudolf Carel d'", "Rudolf Carel d'Ablaing van Giessenburg"),
        ("Veelwaard, Daniël (II)", "Daniël Veelwaard II"),
        ("Sadanobu I (Japanese, 1809-1879)", "Sadanobu I"),
        ("Attributed to Antonio della Corna (Italian, active 1469-1491)", "Antonio della Corna"),
        ("Attributed to the Walters Painter (Greek, active ca. 625-ca. 600 BC)", "Walters Painter"),
        ("Sir Joshua Reynolds", "Joshua Reynolds"),
        ("Dame Barbara Hepworth", "Barbara Hepworth"),
        ("Henry Moore OM, CH", "Henry Moore"),
        ("Christopher Le Brun PRA", "Christopher Le Brun"),
        ("Sir Lawrence Alma-Tadema, R.A., O.M. (Anglo-Dutch, 1836-1912)", "Lawrence Alma-Tadema"),
        ("Sir Edward Coley Burne-Jones, Bt", "Edward Coley Burne-Jones"),
        ("John Hancock , Jr.", "John Hancock Jr."),
        ("Kikuoka School (Japanese, late 18th-19th century)", "Kikuoka School"),  # a named school is people
        ("C. Kersten & Co.", "C. Kersten & Co."),  # a firm is itself
        ("Buffa en Zonen, Frans", "Buffa en Zonen, Frans"),  # not turned round at its comma
        ("Frederic, Lord Leighton", "Frederic, Lord Leighton"),  # a title, not given names, after the comma
        ("Doijer, familie", "Doijer, familie"),
        ("French, Daniel Chester", "Daniel Chester French"),  # a surname that is a nationality
        ("Cassius  Emlen Urban", "Cassius Emlen Urban"),
    ],
)
def test_a_persons_label(name, expected):
    reconciled = reconcile({"name": name})
    assert reconciled.kind == PERSON and reconciled.value == expected


@pytest.mark.parametrize(
    "forms",
    [
        ["R.B. Kitaj", "R. B. Kitaj"],
        ["Sir Sidney Nolan", "Sidney Nolan"],
        ["Jean Arp (Hans Arp)", "Jean Arp"],
        ["Blake, William", "William Blake"],
        ["Chelsea Porcelain Factory (English, active ca. 1745-1784)", "Chelsea Porcelain Factory"],
        ["Attributed to Nanha", "Nanha"],
    ],
)
def test_the_rules_alone_join_these_forms(forms):
    assert len({person_of(form).label for form in forms}) == 1


def test_another_name_in_brackets_is_an_alias():
    palermo = reconcile({"name": "Blinky Palermo (Peter Heisterkamp)"})
    assert palermo.value == "Blinky Palermo" and palermo.aliases == ("Peter Heisterkamp",)


@pytest.mark.parametrize(
    "name, culture",
    [
        ("Japanese", "Japanese"),
        ("unknown Japanese", "Japanese"),
        ("Anonymous (Japanese)", "Japanese"),
        ("Japanese (signature illegible)", "Japanese"),
        ("Pin: American", "American"),
        ("British (?) School", "British"),
        ("British School 18th century", "British"),
        ("Indian School", "Indian"),
        ("unknown Chinese, Jiangxi province", "Chinese"),
        ("unknown Central Indian", "Indian"),
        ("Copy after Greek", "Greek"),
        ("Venetian () (?)", "Venetian"),
        ("Colombian (Chimila)", "Colombian"),
        ("chavin", "Chavín"),
        ("unknown Persian (Gorgan)", "Persian"),
    ],
)
def test_a_nationality_given_as_maker_is_a_culture(name, culture):
    assert reconcile({"name": name}) == ReconciledMaker(CULTURE, culture)


@pytest.mark.parametrize("name", ["日本", "japonais", "일본", "Japanese"])
def test_a_culture_is_known_by_its_name_in_every_interface_language(name):
    assert reconcile({"name": name}) == ReconciledMaker(CULTURE, "Japanese")
    assert {"japonais", "japanisch", "日本", "일본"} <= set(culture_names(name))


def test_cultures_are_labelled_in_the_pages_language_when_the_value_is_the_cultures_label():
    assert culture_facet_label("Chinese", ["fr", "en"]) == ("chinois", "fr")
    assert culture_facet_label("Chinese", ["nl"]) is None  # no Dutch names: the label stands
    assert culture_facet_label("Tlatilco", ["ja"]) is None  # no culture the authority knows, no period
    assert culture_facet_label("Edo period", ["ja"]) == ("江戸時代", "ja")  # a period: the gazetteer names it
    assert culture_facet_label("late Edo", ["ja"]) == ("江戸時代後期", "ja")  # qualified in the page's words
    assert culture_facet_label("Edo-Meiji", ["fr"]) == ("époque d'Edo – ère Meiji", "fr")
    assert "中國" in culture_names("Chinese")  # traditional characters too


def test_an_unknown_maker_of_a_known_nationality_is_that_culture():
    assert reconcile({"name": "unknown", "nationality": "Japanese"}).kind == CULTURE
    assert reconcile({"name": "unknown", "nationality": "undetermined"}).kind == ANONYMOUS


@pytest.mark.parametrize(
    "name",
    [
        "anoniem",
        "onbekend",
        "unknown",
        "Anonymous",
        "Unknown artist",
        "unidentified (outside of print, hard to read)",
        "作者不詳",
        "Italian or German (?) School 17th century",  # no one culture can be named
        "  ",
    ],
)
def test_no_person_and_no_culture_is_anonymous(name):
    assert reconcile({"name": name}) == reconcile({"name": "anoniem"})
    assert reconcile({"name": name}).kind == ANONYMOUS and reconcile({"name": name}).value == "anonymous"


@pytest.mark.parametrize(
    "name, years",
    [
        ("Nizami Ganjavi (Azerbaijani, died 605 AH/AD 1209)", (None, 1209)),
        ("Zakariya ibn Muhammad Qazwini (ca. 1203-1283)", (1203, 1283)),
        ("Virgil (Roman, 70-19 BC)", (-70, -19)),
        ("Firdawsi (Persian, died 411-416 AH/AD 1020-1025)", (None, 1020)),
        ("Style of Vincenzo Damini (Italian, born 1690-1696, died after 1749)", (1690, None)),
        ("Sir Lawrence Alma-Tadema, R.A., O.M. (Anglo-Dutch, 1836-1912)", (1836, 1912)),
        ("Cornelis van Poelenburgh (Dutch, 1594 or 1595-1667)", (1594, 1667)),
        ("Akihiro (Japanese, active ca. 1846)", (None, None)),  # years of activity are no life years
    ],
)
def test_life_years_are_read_from_the_name(name, years):
    person = person_of(name)
    assert (person.birth, person.death) == years


def test_years_on_the_maker_win_over_those_in_the_name():
    assert person_of("Sadanobu I (Japanese, 1809-1879)", 1810, None).birth == 1810
    assert person_of("Ogata Gekko", dates="(Japanese, 1859 - 1920)").death == 1920


def test_merge_candidates_are_people_the_rules_and_the_authority_keep_apart():
    makers = [
        *[{"name": "Suzuki Kiitsu", "birth_year": 1796, "death_year": 1858}] * 2,
        {"name": "Kiitsu Suzuki", "birth_year": 1796, "death_year": 1858},
        {"name": "Ernest J. Bellocq", "birth_year": 1873, "death_year": 1949},
        {"name": "E. J. Bellocq", "birth_year": 1873, "death_year": 1949},
        {"name": "John Walker", "birth_year": 1939},
        {"name": "J. Walker", "birth_year": 1850},  # a namesake: other years
        {"name": "J.M.W. Turner"},
        {"name": "Joseph Mallord William Turner", "birth_year": 1775, "death_year": 1851},  # already one
        {"name": "Japanese"},
        {"name": "anoniem"},
    ]
    assert merge_candidates(makers) == [
        ("Suzuki Kiitsu", ["Kiitsu Suzuki"]),
        ("Ernest J. Bellocq", ["E. J. Bellocq"]),
    ]


def test_the_authority_file_is_sound():
    people = authority().entries
    assert 30 <= len(people) <= 100
    for entry in people:
        assert entry.born is None or entry.died is None or entry.born < entry.died
    raw = json.loads(AUTHORITY_FILE.read_text(encoding="utf-8"))
    for person in raw["people"]:
        assert "ulan" not in person or (len(person["ulan"]) == 9 and person["ulan"].startswith("500"))
        labels = person.get("labels", {})
        assert set(labels) <= {"de", "fr", "ja", "ko", "zh"} and person["label"] not in labels.values()


def test_a_makers_name_in_the_pages_language_or_none():
    """Only the page's language counts: a visitor's second language would put レンブラント on a German
    page, where the label is the German name."""
    assert maker_label("Katsushika Hokusai", ["ja", "en"]) == ("葛飾北斎", "ja")
    assert maker_label("Titian", ["de"]) == ("Tizian", "de")
    assert maker_label("Rembrandt van Rijn", ["de", "ja"]) is None
    assert maker_label("Someone Unknown", ["ja"]) is None


def test_two_people_may_not_share_a_name():
    with pytest.raises(ValueError, match="two people"):
        Authority([Entry("A Person", None, None, ("Same Name",)), Entry("Another Person", None, None, ("Same Name",))])


def test_every_maker_of_the_shared_data_reconciles():
    names, reconciled = set(), {}
    with open(shared_records_path(), encoding="utf-8") as handle:
        for line in handle:
            for maker in json.loads(line)["makers"]:
                names.add(maker["name"])
                result = reconcile(maker)
                assert result.kind in (PERSON, CULTURE, ANONYMOUS) and result.value.strip() == result.value
                assert result.value and not result.value.endswith(")")
                reconciled[maker["name"]] = result
    kinds = Counter(kind for kind, _ in {(r.kind, r.value) for r in reconciled.values()})
    print(
        f"\nmaker values in the shared data: {len(names)} before; after: {kinds[PERSON]} persons, "
        f"{kinds[CULTURE]} cultures, {kinds[ANONYMOUS]} anonymous"
    )
    assert kinds[PERSON] + kinds[CULTURE] + kinds[ANONYMOUS] < len(names) - 50
    assert {reconciled[name].kind for name in ("Japanese", "Thai", "unknown Japanese", "Egyptian")} == {CULTURE}
    assert {reconciled[name].kind for name in ("anoniem", "onbekend", "unknown")} == {ANONYMOUS}
    assert reconciled["Hiroshige Andō"].value == reconciled["Ando Hiroshige (Japanese, 1797-1858)"].value
