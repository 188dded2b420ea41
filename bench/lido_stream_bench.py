"""LIDO reader benchmark: `read_lido` (parse, map every record, keep its source) over a generated
LIDO stream, against lxml's bare iterparse of the same stream (parse and drop each record).

    .venv/bin/python bench/lido_stream_bench.py [--megabytes 1024]

The stream is generated on the fly by a file object (nothing is written to disk): records shaped
like real museum records (about 17 KB each: titles in two languages, a maker, dates, places,
materials, rights, an image, related works no field takes), each with its own id. Each side runs
in a process of its own, so its peak RSS (VmHWM, interpreter included) is its own; CPU seconds
are printed too, as they vary less than wall time on a shared machine.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<lido:lidoWrap xmlns:lido="http://www.lido-schema.org">\n'
TAIL = b"</lido:lidoWrap>\n"
RELATED = (
    "<lido:relatedWorkSet><lido:relatedWork><lido:displayObject>Thirty-six Views of Mount Fuji, sheet {k}"
    "</lido:displayObject><lido:object><lido:objectID>B.{n}.{k}</lido:objectID></lido:object></lido:relatedWork>"
    "<lido:relatedWorkRelType><lido:term>part of the same series</lido:term></lido:relatedWorkRelType>"
    "</lido:relatedWorkSet>"
)
RECORD = """<lido:lido>
<lido:lidoRecID lido:type="local">bench/{n}</lido:lidoRecID>
<lido:descriptiveMetadata xml:lang="en">
<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>
  <lido:conceptID lido:type="URI">http://vocab.getty.edu/aat/300041273</lido:conceptID><lido:term>print</lido:term>
  <lido:term xml:lang="ja">版画</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap>
<lido:classificationWrap><lido:classification><lido:term>Prints</lido:term></lido:classification>
  </lido:classificationWrap></lido:objectClassificationWrap>
<lido:objectIdentificationWrap>
<lido:titleWrap><lido:titleSet>
  <lido:appellationValue>Under the Wave off Kanagawa, impression {n}</lido:appellationValue>
  <lido:appellationValue xml:lang="ja">神奈川沖浪裏</lido:appellationValue></lido:titleSet>
<lido:titleSet lido:type="popular"><lido:appellationValue>The Great Wave</lido:appellationValue></lido:titleSet>
  </lido:titleWrap>
<lido:repositoryWrap><lido:repositorySet lido:type="current"><lido:repositoryName><lido:legalBodyName>
  <lido:appellationValue>Benchmark Museum</lido:appellationValue></lido:legalBodyName></lido:repositoryName>
  <lido:workID>B.{n}</lido:workID></lido:repositorySet></lido:repositoryWrap>
<lido:objectDescriptionWrap><lido:objectDescriptionSet>
  <lido:descriptiveNoteValue>A towering wave threatens three boats off the coast of Kanagawa while Mount Fuji
  rises in the background. The print is the first of the series Thirty-six Views of Mount Fuji and one of the
  most widely reproduced images in the history of art. Impression {n}.</lido:descriptiveNoteValue>
  </lido:objectDescriptionSet></lido:objectDescriptionWrap>
<lido:objectMeasurementsWrap><lido:objectMeasurementsSet>
  <lido:displayObjectMeasurements>25.7 x 37.9 cm</lido:displayObjectMeasurements></lido:objectMeasurementsSet>
  </lido:objectMeasurementsWrap>
</lido:objectIdentificationWrap>
<lido:eventWrap><lido:eventSet><lido:event><lido:eventType>
  <lido:conceptID lido:type="URI">http://terminology.lido-schema.org/lido00007</lido:conceptID>
  <lido:term>Production</lido:term></lido:eventType>
<lido:eventActor><lido:actorInRole><lido:actor>
  <lido:actorID lido:type="URI">http://vocab.getty.edu/ulan/500060426</lido:actorID><lido:nameActorSet>
  <lido:appellationValue lido:pref="preferred">Katsushika Hokusai</lido:appellationValue>
  <lido:appellationValue lido:pref="alternate">Hokusai, Katsushika</lido:appellationValue></lido:nameActorSet>
  <lido:nationalityActor><lido:term>Japanese</lido:term></lido:nationalityActor><lido:vitalDatesActor>
  <lido:earliestDate>1760</lido:earliestDate><lido:latestDate>1849</lido:latestDate></lido:vitalDatesActor>
  </lido:actor><lido:roleActor><lido:term>artist</lido:term></lido:roleActor></lido:actorInRole></lido:eventActor>
<lido:eventDate><lido:displayDate>ca. 1830-32</lido:displayDate><lido:date>
  <lido:earliestDate>1830</lido:earliestDate><lido:latestDate>1832</lido:latestDate></lido:date></lido:eventDate>
<lido:periodName><lido:term>Edo period</lido:term></lido:periodName>
<lido:eventPlace><lido:place><lido:namePlaceSet><lido:appellationValue>Edo</lido:appellationValue>
  </lido:namePlaceSet></lido:place></lido:eventPlace>
<lido:eventPlace><lido:place><lido:placeID lido:type="ISO 3166-1 alpha-2">JP</lido:placeID></lido:place>
  </lido:eventPlace>
<lido:eventMaterialsTech>
  <lido:displayMaterialsTech>woodblock print; ink and colour on paper</lido:displayMaterialsTech>
  <lido:materialsTech><lido:termMaterialsTech lido:type="material"><lido:term>paper</lido:term>
  </lido:termMaterialsTech><lido:termMaterialsTech lido:type="technique"><lido:term>woodblock printing</lido:term>
  </lido:termMaterialsTech></lido:materialsTech></lido:eventMaterialsTech>
</lido:event></lido:eventSet></lido:eventWrap>
<lido:objectRelationWrap><lido:subjectWrap><lido:subjectSet><lido:subject><lido:subjectConcept>
  <lido:term>waves</lido:term></lido:subjectConcept><lido:subjectConcept><lido:term>boats</lido:term>
  </lido:subjectConcept><lido:subjectPlace><lido:displayPlace>Mount Fuji</lido:displayPlace></lido:subjectPlace>
  </lido:subject></lido:subjectSet></lido:subjectWrap>
<lido:relatedWorksWrap>{related}</lido:relatedWorksWrap></lido:objectRelationWrap>
</lido:descriptiveMetadata>
<lido:administrativeMetadata xml:lang="en">
<lido:rightsWorkWrap><lido:rightsWorkSet><lido:creditLine>Gift of a benchmark donor</lido:creditLine>
  </lido:rightsWorkSet></lido:rightsWorkWrap>
<lido:recordWrap><lido:recordID lido:type="local">{n}</lido:recordID><lido:recordType><lido:term>item</lido:term>
  </lido:recordType><lido:recordSource><lido:legalBodyName>
  <lido:appellationValue>Benchmark Museum</lido:appellationValue></lido:legalBodyName></lido:recordSource>
<lido:recordRights><lido:rightsType>
  <lido:conceptID lido:type="URI">http://creativecommons.org/publicdomain/zero/1.0/</lido:conceptID>
  <lido:term>CC0</lido:term></lido:rightsType></lido:recordRights>
<lido:recordInfoSet><lido:recordInfoLink>https://museum.example/objects/{n}</lido:recordInfoLink>
  </lido:recordInfoSet></lido:recordWrap>
<lido:resourceWrap><lido:resourceSet><lido:resourceRepresentation lido:type="image_thumb">
  <lido:linkResource lido:formatResource="image/jpeg">https://museum.example/images/{n}/thumb.jpg</lido:linkResource>
  </lido:resourceRepresentation><lido:resourceRepresentation lido:type="image_master">
  <lido:linkResource lido:formatResource="image/jpeg">https://museum.example/images/{n}/full.jpg</lido:linkResource>
  </lido:resourceRepresentation><lido:resourceDescription>The whole print</lido:resourceDescription>
  <lido:rightsResource><lido:rightsType>
  <lido:conceptID lido:type="URI">http://creativecommons.org/publicdomain/mark/1.0/</lido:conceptID>
  </lido:rightsType></lido:rightsResource></lido:resourceSet></lido:resourceWrap>
</lido:administrativeMetadata>
</lido:lido>
"""
PEAK_KB = "VmHWM:"  # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child would report ours


class GeneratedLido:
    """A binary file object that yields about ``size`` bytes of LIDO records, made as they are read."""

    def __init__(self, size: int):
        self.size, self.made, self.records = size, 0, 0
        self.pending = HEAD
        self.ended = False

    def read(self, wanted: int = 1 << 16) -> bytes:
        wanted = wanted if wanted and wanted > 0 else 1 << 16
        while len(self.pending) < wanted and not self.ended:
            if self.made >= self.size:
                self.pending += TAIL
                self.ended = True
                break
            record = self._record()
            self.made += len(record)
            self.pending += record
        chunk, self.pending = self.pending[:wanted], self.pending[wanted:]
        return chunk

    def _record(self) -> bytes:
        self.records += 1
        n = self.records
        related = "".join(RELATED.format(n=n, k=k) for k in range(2, 38))
        return RECORD.format(n=n, related=related).encode()


def peak_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(PEAK_KB))


def run_ours(size: int) -> tuple[int, int]:
    from catalogue.lido.reader import read_lido

    stream = GeneratedLido(size)
    records = errors = 0
    for row in read_lido(stream):
        records += 1
        errors += row.error is not None
    return records, errors


def run_baseline(size: int) -> tuple[int, int]:
    """lxml's iterparse with the reader's parser options, each record dropped once parsed."""
    from lxml import etree

    stream = GeneratedLido(size)
    records = 0
    events = etree.iterparse(
        stream,
        events=("end",),
        tag="{http://www.lido-schema.org}lido",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    for _event, record in events:
        records += 1
        record.clear(keep_tail=False)
        while record.getprevious() is not None:
            del record.getparent()[0]
    return records, 0


def measure(side: str, size: int) -> dict:
    """Run one side in this process and report it (called in a child process by ``main``)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before, started = usage.ru_utime + usage.ru_stime, time.perf_counter()
    records, errors = (run_ours if side == "ours" else run_baseline)(size)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return {"side": side, "records": records, "errors": errors, "seconds": seconds, "cpu": cpu, "peak_kb": peak_kb()}


def in_child(side: str, size: int) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, "--child", side, "--bytes", str(size)], capture_output=True, text=True, check=True
    )
    return json.loads(child.stdout)


def main(megabytes: float) -> None:
    size = int(megabytes * 1_000_000)
    base = in_child("baseline", size)
    ours = in_child("ours", size)
    mb = size / 1_000_000
    result = {
        "megabytes": round(mb, 1),
        "records": ours["records"],
        "errors": ours["errors"],
        "ours_records_per_s": round(ours["records"] / ours["seconds"]),
        "ours_mb_per_s": round(mb / ours["seconds"], 1),
        "ours_cpu_s": round(ours["cpu"], 1),
        "ours_peak_rss_mb": round(ours["peak_kb"] / 1024, 1),
        "baseline_records_per_s": round(base["records"] / base["seconds"]),
        "baseline_mb_per_s": round(mb / base["seconds"], 1),
        "baseline_cpu_s": round(base["cpu"], 1),
        "baseline_peak_rss_mb": round(base["peak_kb"] / 1024, 1),
        "ratio_ours_to_baseline": round((ours["records"] / ours["seconds"]) / (base["records"] / base["seconds"]), 3),
        "cpu_ratio_ours_to_baseline": round(base["cpu"] / ours["cpu"], 3) if ours["cpu"] else None,
    }
    print(
        f"read {result['records']} LIDO records ({result['megabytes']} MB, {result['errors']} errors): "
        f"ours {result['ours_records_per_s']} records/s, {result['ours_mb_per_s']} MB/s, "
        f"peak RSS {result['ours_peak_rss_mb']} MB; bare iterparse {result['baseline_records_per_s']} records/s, "
        f"{result['baseline_mb_per_s']} MB/s, peak RSS {result['baseline_peak_rss_mb']} MB; "
        f"ratio {result['ratio_ours_to_baseline']} (CPU {result['cpu_ratio_ours_to_baseline']})"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=1024, help="size of the generated stream (default 1 GB)")
    parser.add_argument("--child", choices=("ours", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--bytes", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(measure(arguments.child, arguments.bytes)))
    else:
        main(arguments.megabytes)
