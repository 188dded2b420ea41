"""Rebuild demo/ from the shared open-collections set: a seeded sample per museum plus the images.

Run from the repository root: python scripts/build_demo_data.py ../shared/data/open-collections
The output is committed, so the catalogue's demo does not depend on ../shared.
"""

import json
import random
import shutil
import sys
from pathlib import Path

PER_MUSEUM = 150
SEED = 20261128
DEMO = Path(__file__).resolve().parent.parent / "demo"


def sample_records(source: Path) -> list[dict]:
    by_museum: dict[str, list[dict]] = {}
    with open(source / "records.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            record.pop("raw", None)  # the museums' original payloads are large and not needed here
            by_museum.setdefault(record["source_museum_code"], []).append(record)
    rng = random.Random(SEED)
    chosen = []
    for code in sorted(by_museum):
        chosen.extend(rng.sample(by_museum[code], PER_MUSEUM))
    return chosen


def image_records(source: Path) -> tuple[list[dict], list[dict]]:
    """One demo record per public-domain image, with the image manifest that attaches it."""
    records, manifest = [], []
    with open(source / "images" / "images.jsonl", encoding="utf-8") as handle:
        for line in handle:
            image = json.loads(line)
            museum = "aic" if image["file"].startswith("aic_") else "pd-reproductions"
            local_id = image["file"].rsplit(".", 1)[0]
            records.append(
                {
                    "museum": museum,
                    "local_id": local_id,
                    "language": "en",
                    "title": image["title"],
                    "makers": [{"name": image["maker"], "display_dates": image.get("maker_dates")}],
                    "date_display": image.get("date"),
                    "culture": image.get("culture"),
                    "object_type": "painting" if "hokusai" not in local_id else "print",
                    "description": image.get("holding_institution"),
                    "credit_line": f"Image: {image['source_repository']} ({image['source_path']})",
                    "rights": {"metadata_license": "CC0", "image_rights": "Public Domain Mark"},
                    "masterpiece": True,
                }
            )
            shutil.copyfile(source / "images" / image["file"], DEMO / "images" / image["file"])
            manifest.append(
                {
                    "museum": museum,
                    "local_id": local_id,
                    "file": f"images/{image['file']}",
                    "alt": {"en": [f"{image['title']} by {image['maker']}"]},
                }
            )
    return records, manifest


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(source: str) -> None:
    source_path = Path(source)
    (DEMO / "images").mkdir(parents=True, exist_ok=True)
    write_jsonl(DEMO / "records.jsonl", sample_records(source_path))
    records, manifest = image_records(source_path)
    write_jsonl(DEMO / "image_records.jsonl", records)
    write_jsonl(DEMO / "images.jsonl", manifest)
    shutil.copyfile(source_path / "images" / "images.jsonl", DEMO / "images" / "PROVENANCE.jsonl")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/open-collections")
