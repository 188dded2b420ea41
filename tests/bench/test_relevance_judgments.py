"""The relevance harness's judged queries (bench/relevance_judgments.json) and its measures.

The harness only means something when its judgments are right: every judged record must exist in
the shared file, every category must hold enough queries to average over, and the hand-written
kind rules must recognise the records a person would file under that kind. The measures are
checked on small rankings worked out by hand."""

import importlib.util
import math
import sys
from collections import Counter
from pathlib import Path

import pytest

from catalogue.models import public_id
from tests.support import shared_records_path

REPO = Path(__file__).resolve().parents[2]


def _load_harness():
    spec = importlib.util.spec_from_file_location("bench_relevance", REPO / "bench" / "relevance.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


relevance = _load_harness()


@pytest.fixture(scope="module")
def judgments():
    return relevance.load_judgments()


@pytest.fixture(scope="module")
def records():
    return relevance.load_shared_records(shared_records_path())


def record(object_type=None, classification=None, medium=None, materials=()):
    return {"object_type": object_type, "classification": classification, "medium": medium, "materials": materials}


# the judgments file -----------------------------------------------------------------------------
def test_every_judgment_has_a_known_category_a_query_a_note_and_one_way_to_name_its_records(judgments):
    for judgment in judgments:
        assert judgment.category in relevance.CATEGORIES
        assert judgment.query.strip() and judgment.note.strip()
        assert bool(judgment.relevant) != bool(judgment.kind), judgment.query
        assert len(set(judgment.relevant)) == len(judgment.relevant), judgment.query


def test_the_same_query_is_judged_once_per_category(judgments):
    pairs = Counter((j.category, j.query) for j in judgments)
    assert [pair for pair, count in pairs.items() if count > 1] == []


def test_every_category_holds_at_least_eight_queries_and_eighty_in_all(judgments):
    counts = Counter(j.category for j in judgments)
    assert {category: counts[category] for category in relevance.CATEGORIES if counts[category] < 8} == {}
    assert len(judgments) >= 80


def test_only_the_cross_language_queries_name_their_records_by_a_kind(judgments):
    assert {j.category for j in judgments if j.kind} == {"cross_language"}
    assert all(j.kind in relevance.KINDS for j in judgments if j.kind)


def test_every_judged_record_is_in_the_shared_file(judgments, records):
    missing = {(j.query, record_id) for j in judgments for record_id in j.relevant if record_id not in records}
    assert missing == set()


def test_every_kind_used_selects_records(judgments, records):
    for kind in {j.kind for j in judgments if j.kind}:
        assert relevance.relevant_shared_ids(relevance.Judgment("cross_language", kind, "", kind=kind), records)


def test_a_cross_language_kind_reaches_records_of_both_languages(records):
    judgment = relevance.Judgment("cross_language", "foto", "", kind="photograph")
    photographs = relevance.relevant_shared_ids(judgment, records)
    assert {records[record_id]["language"] for record_id in photographs} == {"en", "nl"}


def test_a_catalogue_id_is_made_from_the_museum_code_and_the_museum_s_own_id(records):
    tate = records["tate:T06587"]
    assert relevance.catalogue_id(tate) == public_id("tate", "T06587")


# the kind rules ----------------------------------------------------------------------------------
def test_a_photograph_is_recognised_in_english_and_dutch_but_not_a_photomechanical_print():
    kind = relevance.KINDS["photograph"]
    assert kind.holds_for(record("foto", "foto", "fotodrager", ["fotodrager"]))
    assert kind.holds_for(record("photographs", "photographs", "gelatin silver print"))
    assert kind.holds_for(record("on paper, print", "on paper, print", "Photograph, gelatin silver print on paper"))
    assert not kind.holds_for(record("fotomechanische afdruk", "fotomechanische afdruk", "papier", ["papier"]))


def test_a_print_is_an_art_print_not_a_picture_postcard_or_a_printing_block():
    kind = relevance.KINDS["print"]
    assert kind.holds_for(record("prent; bladzijde", "prent", "papier", ["papier"]))
    assert kind.holds_for(record("color woodcuts", "Prints"))
    assert not kind.holds_for(record("prentbriefkaart", "prentbriefkaart", "karton", ["karton"]))
    assert not kind.holds_for(record("block for printing", "block for printing", "Copper plate"))


def test_a_classification_naming_two_kinds_says_nothing_about_either():
    painting = relevance.KINDS["painting"]
    assert not painting.holds_for(record("drawings", "Painting & Drawing", "graphite on paper"))
    assert painting.holds_for(record("oil paintings", "Painting & Drawing", "oil on canvas"))
    assert not relevance.KINDS["coin"].holds_for(record("medals", "Coins & Medals", "gilt on silver"))


def test_wood_is_the_material_not_a_wood_engraving_on_paper():
    kind = relevance.KINDS["wood"]
    assert kind.holds_for(record("painting", "painting", "Oil paint on oak"))
    assert kind.holds_for(record("diorama", "diorama", "eikenhout, papier", ["eikenhout", "papier"]))
    assert not kind.holds_for(record("on paper, print", "on paper, print", "Wood engraving on paper"))


# the measures ------------------------------------------------------------------------------------
def test_recall_at_ten_counts_the_relevant_records_found_out_of_at_most_ten():
    ranked = ["a", "x", "b"] + [f"y{n}" for n in range(7)] + ["c"]
    assert relevance.recall_at(ranked, {"a", "b", "c"}) == pytest.approx(2 / 3)
    many = {f"r{n}" for n in range(40)}
    assert relevance.recall_at(sorted(many)[:10], many) == 1.0  # ten of forty fills the top ten


def test_ndcg_rewards_relevant_records_ranked_higher():
    relevant = {"a", "b"}
    assert relevance.ndcg_at(["a", "b", "x"], relevant) == pytest.approx(1.0)
    ideal = 1 + 1 / math.log2(3)
    assert relevance.ndcg_at(["x", "a", "b"], relevant) == pytest.approx((1 / math.log2(3) + 0.5) / ideal)
    assert relevance.ndcg_at(["x", "y"], relevant) == 0.0


def test_a_known_item_missing_from_the_top_ten_ranks_eleventh():
    assert relevance.first_relevant_rank(["x", "a"], {"a"}) == 2
    assert relevance.first_relevant_rank([f"x{n}" for n in range(10)] + ["a"], {"a"}) == 11


def test_the_summary_averages_per_category_and_gives_the_known_item_rank_only_where_it_means_something():
    rows = [
        {"category": "typo", "recall": 1.0, "ndcg": 1.0, "rank": 1},
        {"category": "typo", "recall": 0.0, "ndcg": 0.0, "rank": 11},
        {"category": "maker_variant", "recall": 0.5, "ndcg": 0.25, "rank": 3},
    ]
    summary = relevance.summarise(rows)
    assert summary["typo"] == {"queries": 2, "recall_at_10": 0.5, "ndcg_at_10": 0.5, "known_item_rank": 6.0}
    assert summary["maker_variant"]["known_item_rank"] is None
    assert summary["all"]["queries"] == 3
    assert "plural" not in summary
