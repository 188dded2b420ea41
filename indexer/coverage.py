"""How well the vocabulary and the maker rules cover the catalogue's records, and what to add next:
the report behind `catalogue vocabulary`, so the vocabulary grows with the data."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from catalogue.concepts import vocabulary
from catalogue.models import ObjectRecord
from indexer.makers import merge_candidates


@dataclass
class CoverageReport:
    records: int = 0
    typed: int = 0  # records with an object type
    typed_mapped: int = 0  # ... of which the type names at least one concept
    materials: int = 0  # material entries of all records (materials or techniques)
    materials_mapped: int = 0
    unmapped: dict = field(default_factory=lambda: {"object_type": Counter(), "material": Counter()})
    maker_merges: list = field(default_factory=list)  # (suggested label, [variants]) not yet merged

    @property
    def object_type_share(self) -> float:
        return self.typed_mapped / self.typed if self.typed else 1.0

    @property
    def material_share(self) -> float:
        return self.materials_mapped / self.materials if self.materials else 1.0


def coverage(records: Iterable[ObjectRecord]) -> CoverageReport:
    """Count what maps: each record's object type (mapped when any part names a concept) and each
    entry of its materials list; unmapped values are counted by museum and value."""
    known = vocabulary()
    report = CoverageReport()
    makers: list[dict] = []
    for record in records:
        body = record.body
        report.records += 1
        makers += body.get("makers") or []
        if body.get("object_type"):
            report.typed += 1
            ids, unmapped = known.map_value(body["object_type"], "object_type")
            report.typed_mapped += bool(ids)
            report.unmapped["object_type"].update((record.museum, part.lower()) for part in unmapped)
        for material in body.get("materials") or []:
            report.materials += 1
            ids, unmapped = known.map_value(material, "material", "technique")
            report.materials_mapped += bool(ids)
            report.unmapped["material"].update((record.museum, part.lower()) for part in unmapped)
    report.maker_merges = merge_candidates(makers)
    return report
