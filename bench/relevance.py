"""Relevance harness: judged queries on the shared records, through the product's own search, on both backends.

    scripts/elasticsearch start
    python bench/relevance.py [--elasticsearch URL] [--json] [--per-query]

Speed benchmarks say how fast search is; this says whether it finds what a visitor means. The judged
queries (bench/relevance_judgments.json) were written by reading real records of the shared file:
known items, CJK strings, typos, plural/singular, an English word for Dutch records and back,
romanized names for CJK signatures, other forms of a maker's name. Each names its relevant records
by the shared file's `record_id` ("tate:T06587"), or, for the cross-language queries, by a kind of
object or material that the small rules in KINDS below recognise in the records' own fields. Those
rules are deliberately independent of the product's vocabulary: a judgment made with the system
under test would only measure the system against itself.

Setup (not measured): the 5,000 shared records are imported into a temporary catalogue and
reindexed into a fresh Elasticsearch index and a fresh embedded index. Then every query runs as
`SearchService(backend).search(SearchRequest(text=query, size=10))`, as the site does, and the
table gives per category and backend: recall@10 (relevant records in the top 10 / min(10, relevant
records)), nDCG@10 with binary relevance (the ideal ranking puts min(10, relevant) relevant records
first), and for the known-item categories the mean rank of the first relevant record (11 when it is
not in the top 10). The Elasticsearch index is dropped at the end.
"""

import argparse
import json
import math
import os
import re
import secrets
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from index_bench import SHARED, build_store
from sqlalchemy import select

from catalogue.models import public_id
from catalogue.store import tables as t
from indexer.backends import SearchBackend
from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.backends.embedded import EmbeddedBackend
from indexer.request import SearchRequest
from indexer.search import SearchService
from indexer.worker import Indexer

JUDGMENTS = ROOT / "bench" / "relevance_judgments.json"
TOP = 10
CATEGORIES = (
    "exact_known_item",
    "exact_cjk",
    "typo",
    "plural",
    "cross_language",
    "cross_script",
    "maker_variant",
)
# the visitor is after particular records: how far down the first one is says more than recall
KNOWN_ITEM_CATEGORIES = ("exact_known_item", "typo", "plural")
BACKENDS = ("elasticsearch", "embedded")


@dataclass(frozen=True)
class Kind:
    """A kind of object or material, recognised by words of a record's own fields (any language).

    `types` is matched against object_type and classification, `materials` against medium and
    materials, both lowercased; `unless` (against both) vetoes a match. Classifications that name
    two kinds at once ("Painting & Drawing", "Coins & Medals") say nothing about either and are left out."""

    types: str = ""
    materials: str = ""
    unless: str = ""

    def holds_for(self, record: dict) -> bool:
        types, materials = kind_texts(record)
        if self.unless and re.search(self.unless, f"{types}\n{materials}"):
            return False
        return bool(
            (self.types and re.search(self.types, types)) or (self.materials and re.search(self.materials, materials))
        )


MIXED_CLASSIFICATIONS = re.compile(r"painting & drawing|coins & medals")
WOODS = "oak|mahogany|walnut|poplar|beech|elm|cedar|ebony|rosewood|hardwood|plywood"  # as the media name them
PHOTOGRAPH = r"\bphotograph|gelatin silver print|albumen print|chromogenic print|platinum print|daguerreotype"
KINDS = {
    # object kinds (Dutch: foto, tekening, prent, prentbriefkaart, schilderij, kaart, munt, affiche, beeld)
    "photograph": Kind(types=r"\bphotographs?\b|foto(?!mechanisch)|negatief", materials=f"{PHOTOGRAPH}|fotodrager"),
    "drawing": Kind(types=r"\bdrawings?\b|tekening|on paper, unique", unless=PHOTOGRAPH),
    # art prints; not picture postcards (prentbriefkaart), photomechanical prints or printing blocks
    "print": Kind(types=r"\bprints?\b|woodcuts?\b|woodblock|prent\b", unless=PHOTOGRAPH),
    "postcard": Kind(types=r"postcard|briefkaart"),
    "painting": Kind(types=r"\bpaintings?\b|schilderij|schildering"),
    "map": Kind(types=r"\bmaps?\b|\bkaart\b"),
    "coin": Kind(types=r"\bcoins?\b|\bmunt\b"),
    "poster": Kind(types=r"\bposters?\b|affiche", materials=r"\bposters?\b"),
    "sculpture": Kind(types=r"sculpture|statue|statuette|statuary|\bbeeld\b"),
    # materials (Dutch: papier, inkt, glas, hout, doek, ivoor, koper, perkament, brons, porselein)
    "paper": Kind(types=r"on paper", materials=r"\bpaper\b|papier(?!-mach)"),
    "ink": Kind(materials=r"\binks?\b|inkt\b"),
    "glass": Kind(types=r"\bglass(wares)?\b", materials=r"\bglass\b|\bglas\b"),
    "wood": Kind(
        types=r"\bwood\b",
        materials=rf"\bwood\b(?! engraving)|hout\b|\b({WOODS})\b",
    ),
    "canvas": Kind(materials=r"\bcanvas\b|\bdoek\b"),
    "ivory": Kind(materials=r"\bivory\b|ivoor"),
    "copper": Kind(materials=r"\bcopper\b|(?<!geel)koper\b"),  # geelkoper is brass
    "parchment": Kind(materials=r"\bparchment\b|\bvellum\b|perkament"),
    "bronze": Kind(materials=r"\bbronze\b|\bbrons\b"),
    "porcelain": Kind(materials=r"\bporcelain\b|porselein"),
}


def kind_texts(record: dict) -> tuple[str, str]:
    """(object type words, material words) of a shared record, lowercased."""
    types = " ; ".join(v for v in (record.get("object_type"), record.get("classification")) if v).lower()
    materials = " ; ".join([record.get("medium") or "", *(record.get("materials") or [])]).lower()
    return MIXED_CLASSIFICATIONS.sub("", types), materials


@dataclass(frozen=True)
class Judgment:
    category: str
    query: str
    note: str
    relevant: tuple[str, ...] = ()  # shared record ids, when listed
    kind: str | None = None  # a key of KINDS, when the relevant records are all records of a kind


def load_judgments(path: Path = JUDGMENTS) -> list[Judgment]:
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    return [
        Judgment(item["category"], item["query"], item["note"], tuple(item.get("relevant", ())), item.get("kind"))
        for item in raw
    ]


def load_shared_records(path: Path = SHARED) -> dict[str, dict]:
    """The shared records by their `record_id`."""
    with open(path, encoding="utf-8") as handle:
        records = (json.loads(line) for line in handle if line.strip())
        return {record["record_id"]: record for record in records}


def relevant_shared_ids(judgment: Judgment, records: dict[str, dict]) -> set[str]:
    if judgment.kind:
        kind = KINDS[judgment.kind]
        return {record_id for record_id, record in records.items() if kind.holds_for(record)}
    return set(judgment.relevant)


def catalogue_id(record: dict) -> str:
    """The catalogue's public id of a shared record (the importer's museum code and local id)."""
    return public_id(record["source_museum_code"], record["source_id"])


# metrics ---------------------------------------------------------------------------------------
def recall_at(ranked: list[str], relevant: set[str], k: int = TOP) -> float:
    return len(set(ranked[:k]) & relevant) / min(k, len(relevant))


def ndcg_at(ranked: list[str], relevant: set[str], k: int = TOP) -> float:
    gained = sum(1 / math.log2(rank + 1) for rank, hit in enumerate(ranked[:k], 1) if hit in relevant)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(k, len(relevant)) + 1))
    return gained / ideal


def first_relevant_rank(ranked: list[str], relevant: set[str], k: int = TOP) -> int:
    return next((rank for rank, hit in enumerate(ranked[:k], 1) if hit in relevant), k + 1)


def measure(service: SearchService, judgment: Judgment, relevant: set[str]) -> dict:
    ranked = [hit.id for hit in service.search(SearchRequest(text=judgment.query, size=TOP)).hits]
    return {
        "recall": recall_at(ranked, relevant),
        "ndcg": ndcg_at(ranked, relevant),
        "rank": first_relevant_rank(ranked, relevant),
    }


def summarise(rows: list[dict]) -> dict:
    """Per category (and over all queries): query count, mean recall@10, nDCG@10, known-item rank."""
    summary = {}
    for category in (*CATEGORIES, "all"):
        chosen = [row for row in rows if category in (row["category"], "all")]
        if not chosen:
            continue
        figures = {
            "queries": len(chosen),
            "recall_at_10": _mean(row["recall"] for row in chosen),
            "ndcg_at_10": _mean(row["ndcg"] for row in chosen),
            "known_item_rank": None,
        }
        if category in KNOWN_ITEM_CATEGORIES:
            figures["known_item_rank"] = _mean(row["rank"] for row in chosen)
        summary[category] = figures
    return summary


def _mean(values) -> float:
    values = list(values)
    return round(sum(values) / len(values), 3)


# output ----------------------------------------------------------------------------------------
def table(summaries: dict[str, dict]) -> str:
    head = f"{'category':18s} {'queries':>7s}"
    for backend in BACKENDS:
        head += f" | {backend + ' recall@10':>23s} {'nDCG@10':>7s} {'rank':>5s}"
    lines = [head, "-" * len(head)]
    for category, figures in summaries[BACKENDS[0]].items():
        line = f"{category:18s} {figures['queries']:7d}"
        for backend in BACKENDS:
            f = summaries[backend][category]
            rank = "-" if f["known_item_rank"] is None else f"{f['known_item_rank']:.2f}"
            line += f" | {f['recall_at_10']:23.3f} {f['ndcg_at_10']:7.3f} {rank:>5s}"
        lines.append(line)
    return "\n".join(lines)


def per_query_table(rows: dict[str, list[dict]]) -> str:
    lines = [f"{'category':18s} {'query':34s} {'relevant':>8s} | recall nDCG rank: " + ", ".join(BACKENDS)]
    for es_row, embedded_row in zip(rows["elasticsearch"], rows["embedded"]):
        line = f"{es_row['category']:18s} {_padded(es_row['query'], 34)} {es_row['relevant']:8d}"
        for row in (es_row, embedded_row):
            line += f" | {row['recall']:.2f} {row['ndcg']:.2f} {row['rank']:>2d}"
        lines.append(line)
    return "\n".join(lines)


def _padded(text: str, width: int) -> str:
    """`text` cut or padded to `width` terminal columns (CJK characters take two)."""
    cells = 0
    for end, char in enumerate(text):
        size = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if cells + size > width:
            text = text[:end]
            break
        cells += size
    return text + " " * (width - cells)


# running ---------------------------------------------------------------------------------------
def elasticsearch_url(given: str | None) -> str:
    if given:
        return given
    if os.environ.get("CATALOGUE_ELASTICSEARCH_URL"):
        return os.environ["CATALOGUE_ELASTICSEARCH_URL"]
    try:
        status = subprocess.check_output([str(ROOT / "scripts/elasticsearch"), "status"], text=True)
    except subprocess.CalledProcessError:
        raise SystemExit("No Elasticsearch: run scripts/elasticsearch start, or pass --elasticsearch URL.") from None
    return status.split()[0]


def judged_targets(judgments: list[Judgment], records: dict[str, dict], store_ids: set[str]) -> list[set[str]]:
    """Each judgment's relevant records as catalogue ids, checked against what the store holds."""
    targets = []
    for judgment in judgments:
        shared_ids = relevant_shared_ids(judgment, records)
        unknown = sorted(shared_ids - set(records))
        if unknown or not shared_ids:
            raise SystemExit(f"judgment {judgment.query!r}: no relevant records, or not in the shared file: {unknown}")
        ids = {catalogue_id(records[record_id]) for record_id in shared_ids}
        if not ids <= store_ids:
            raise SystemExit(f"judgment {judgment.query!r}: records missing from the catalogue")
        targets.append(ids)
    return targets


def run(url: str) -> dict[str, list[dict]]:
    judgments = load_judgments()
    records = load_shared_records()
    with tempfile.TemporaryDirectory() as temp:
        data_dir = Path(temp) / "data"
        store = build_store(data_dir, len(records)).extensions["catalogue"].store
        with store.reading() as conn:
            store_ids = set(conn.execute(select(t.records.c.id)).scalars())
        targets = judged_targets(judgments, records, store_ids)
        es = ElasticsearchBackend(url, alias=f"relevance-{secrets.token_hex(4)}")
        try:
            backends: dict[str, SearchBackend] = {"elasticsearch": es, "embedded": EmbeddedBackend(data_dir / "search")}
            for backend in backends.values():
                Indexer(store, backend).reindex()
            es.refresh()
            return {name: evaluate(SearchService(backend), judgments, targets) for name, backend in backends.items()}
        finally:
            es.drop()
            store.dispose()


def evaluate(service: SearchService, judgments: list[Judgment], targets: list[set[str]]) -> list[dict]:
    return [
        {"category": j.category, "query": j.query, "relevant": len(ids), **measure(service, j, ids)}
        for j, ids in zip(judgments, targets)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--elasticsearch", help="node URL (default: CATALOGUE_ELASTICSEARCH_URL or the local node)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--per-query", action="store_true", help="also give every query's figures")
    args = parser.parse_args()
    rows = run(elasticsearch_url(args.elasticsearch))
    summaries = {backend: summarise(rows[backend]) for backend in BACKENDS}
    if args.json:
        output: dict = {"top": TOP, "backends": summaries}
        if args.per_query:
            output["queries"] = rows
        print(json.dumps(output, ensure_ascii=False, indent=2))
        return
    print(table(summaries))
    if args.per_query:
        print()
        print(per_query_table(rows))


if __name__ == "__main__":
    main()
