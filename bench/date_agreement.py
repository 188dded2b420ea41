"""Print how often our parse of `date_display` agrees with the museums' own years.

python bench/date_agreement.py [records.jsonl]
"""

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.records import date_quality

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "open-collections" / "records.jsonl"


def main(source: Path) -> None:
    with open(source, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    result = date_quality.measure(records)
    print(f"compared {result.compared} records: {result.agreed} agree ({result.share:.1%})")
    print("most frequent disagreements (display, museum begin, museum end):")
    for (display, begin, end), count in Counter(result.disagreements).most_common(15):
        print(f"  {count:3d}  {display!r} -> {begin}..{end}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
