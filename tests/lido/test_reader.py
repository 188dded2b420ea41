"""The LIDO reader: each field of the mapping in catalogue/lido/__init__.py from LIDO 1.0 and 1.1
records; Japanese, Chinese and Korean values; xml:lang as museums write it; what no field takes kept
in source_record; hostile XML (entities, DTDs) refused without reading or expanding anything; a
broken file keeps its records up to the break; memory stays flat on a large stream."""

import io
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from lxml import etree

from catalogue.errors import ValidationFailed
from catalogue.lido.language import language_tag
from catalogue.lido.reader import read_lido
from catalogue.records.dates import parse_date
from catalogue.records.schema import MAX_SOURCE_CHARACTERS, load_record

FIXTURES = Path(__file__).parent / "fixtures"
LIDO = "http://www.lido-schema.org"
HEAD = (
    f'<lido:lidoWrap xmlns:lido="{LIDO}" xmlns:skos="http://www.w3.org/2004/02/skos/core#" '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
)
TERMS = "http://terminology.lido-schema.org/"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
CC_BY = "http://creativecommons.org/licenses/by/4.0/"
PDM = "http://creativecommons.org/publicdomain/mark/1.0/"


def rows_of(xml: str | bytes) -> list:
    return list(read_lido(io.BytesIO(xml.encode() if isinstance(xml, str) else xml)))


def record_xml(inner: str = "", recid: str = "T-1", lang: str = "en", title: str = "A title", admin: str = "") -> str:
    """One lido:lido element: its id, a descriptiveMetadata with a title and ``inner``, and an
    administrativeMetadata holding ``admin``."""
    title_set = f"<lido:titleSet><lido:appellationValue>{title}</lido:appellationValue></lido:titleSet>"
    return (
        f"<lido:lido><lido:lidoRecID>{recid}</lido:lidoRecID>"
        f'<lido:descriptiveMetadata xml:lang="{lang}"><lido:objectIdentificationWrap>'
        f"<lido:titleWrap>{title_set}</lido:titleWrap></lido:objectIdentificationWrap>{inner}</lido:descriptiveMetadata>"
        f'<lido:administrativeMetadata xml:lang="{lang}">{admin}</lido:administrativeMetadata></lido:lido>'
    )


def one(xml: str) -> dict:
    """The one record a document holds, as the reader gives it to the importer."""
    (row,) = rows_of(xml)
    assert row.error is None, row.error
    return row.data


def wrapped(*records: str) -> str:
    return HEAD + "".join(records) + "</lido:lidoWrap>"


def without_source(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "source_record"}


# LIDO 1.0 --------------------------------------------------------------------------------------------
FULL_1_0 = f"""<lido:lido>
  <lido:lidoRecID lido:type="local">MUS/1977.20</lido:lidoRecID>
  <lido:objectPublishedID>https://example.org/objects/1977.20</lido:objectPublishedID>
  <lido:descriptiveMetadata xml:lang="en">
    <lido:objectClassificationWrap>
      <lido:objectWorkTypeWrap><lido:objectWorkType><lido:conceptID>aat:300379868</lido:conceptID>
        <lido:term xml:lang="de">Kabinettschrank</lido:term><lido:term>cabinet</lido:term></lido:objectWorkType>
          </lido:objectWorkTypeWrap>
      <lido:classificationWrap><lido:classification><lido:term>furniture</lido:term></lido:classification>
        </lido:classificationWrap>
    </lido:objectClassificationWrap>
    <lido:objectIdentificationWrap>
      <lido:titleWrap>
        <lido:titleSet><lido:appellationValue>Cabinet on stand</lido:appellationValue>
          <lido:appellationValue xml:lang="de">Kabinettschrank</lido:appellationValue></lido:titleSet>
        <lido:titleSet lido:type="former"><lido:appellationValue xml:lang="nl">Kabinet</lido:appellationValue>
          </lido:titleSet>
      </lido:titleWrap>
      <lido:inscriptionsWrap><lido:inscriptions>
        <lido:inscriptionTranscription>IACOBVS FECIT</lido:inscriptionTranscription></lido:inscriptions>
        <lido:inscriptions><lido:inscriptionTranscription>1600</lido:inscriptionTranscription></lido:inscriptions>
          </lido:inscriptionsWrap>
      <lido:repositoryWrap><lido:repositorySet lido:type="current"><lido:workID>1977.20</lido:workID>
        </lido:repositorySet></lido:repositoryWrap>
      <lido:objectDescriptionWrap><lido:objectDescriptionSet>
        <lido:descriptiveNoteValue>An ebony cabinet with ivory panels.</lido:descriptiveNoteValue>
        <lido:descriptiveNoteValue xml:lang="de">Ein Kabinettschrank aus Ebenholz.</lido:descriptiveNoteValue>
        <lido:descriptiveNoteValue xml:lang="de"/>
      </lido:objectDescriptionSet></lido:objectDescriptionWrap>
      <lido:objectMeasurementsWrap><lido:objectMeasurementsSet>
        <lido:displayObjectMeasurements>106 x 101.1 x 60.9 cm</lido:displayObjectMeasurements>
      </lido:objectMeasurementsSet></lido:objectMeasurementsWrap>
    </lido:objectIdentificationWrap>
    <lido:eventWrap>
      <lido:eventSet><lido:event>
        <lido:eventType><lido:term>Acquisition</lido:term></lido:eventType>
        <lido:eventActor><lido:actorInRole><lido:actor><lido:nameActorSet>
          <lido:appellationValue>A dealer</lido:appellationValue></lido:nameActorSet></lido:actor>
          </lido:actorInRole></lido:eventActor>
        <lido:eventDate><lido:displayDate>1977</lido:displayDate></lido:eventDate>
      </lido:event></lido:eventSet>
      <lido:eventSet><lido:event>
        <lido:eventType><lido:conceptID>http://terminology.lido-schema.org/lido00007</lido:conceptID>
          <lido:term>Herstellung</lido:term></lido:eventType>
        <lido:eventActor>
          <lido:displayActorInRole>Fiammingo, Giacomo (1550-1610), cabinetmaker</lido:displayActorInRole>
          <lido:actorInRole><lido:actor>
            <lido:nameActorSet>
              <lido:appellationValue lido:pref="preferred">Giacomo Fiammingo</lido:appellationValue>
              <lido:appellationValue lido:pref="alternate">Fiammingo, Giacomo</lido:appellationValue>
                </lido:nameActorSet>
            <lido:nationalityActor><lido:term>Flemish</lido:term></lido:nationalityActor>
            <lido:vitalDatesActor><lido:earliestDate>1550</lido:earliestDate>
              <lido:latestDate>1610-03-01</lido:latestDate></lido:vitalDatesActor>
          </lido:actor>
          <lido:roleActor><lido:term>cabinetmaker</lido:term></lido:roleActor></lido:actorInRole>
        </lido:eventActor>
        <lido:eventActor><lido:displayActorInRole>Workshop of the Medici court</lido:displayActorInRole>
          </lido:eventActor>
        <lido:culture><lido:term>Neapolitan</lido:term></lido:culture>
        <lido:eventDate><lido:displayDate>about 1600</lido:displayDate>
          <lido:date><lido:earliestDate>1596</lido:earliestDate><lido:latestDate>1605</lido:latestDate></lido:date>
            </lido:eventDate>
        <lido:periodName><lido:term>Late Renaissance</lido:term></lido:periodName>
        <lido:periodName lido:type="dynasty"><lido:term>Habsburg</lido:term></lido:periodName>
        <lido:eventPlace><lido:place><lido:placeID lido:type="ISO 3166-1 alpha-2">IT</lido:placeID>
          <lido:namePlaceSet><lido:appellationValue>Italy</lido:appellationValue></lido:namePlaceSet></lido:place>
            </lido:eventPlace>
        <lido:eventPlace><lido:place><lido:namePlaceSet><lido:appellationValue>Naples</lido:appellationValue>
          </lido:namePlaceSet></lido:place></lido:eventPlace>
        <lido:eventMaterialsTech>
          <lido:displayMaterialsTech>ebony and ivory, engraved</lido:displayMaterialsTech>
          <lido:materialsTech>
            <lido:termMaterialsTech lido:type="material"><lido:term>ebony</lido:term></lido:termMaterialsTech>
            <lido:termMaterialsTech><lido:term>ivory</lido:term></lido:termMaterialsTech>
            <lido:termMaterialsTech lido:type="technique"><lido:term>engraving</lido:term></lido:termMaterialsTech>
            <lido:termMaterialsTech lido:type="mark"><lido:term>star pattern</lido:term></lido:termMaterialsTech>
          </lido:materialsTech>
        </lido:eventMaterialsTech>
      </lido:event></lido:eventSet>
    </lido:eventWrap>
    <lido:objectRelationWrap>
      <lido:subjectWrap><lido:subjectSet><lido:subject>
        <lido:subjectConcept><lido:term>Hercules</lido:term></lido:subjectConcept>
        <lido:subjectConcept><lido:term>architecture</lido:term></lido:subjectConcept>
        <lido:subjectPlace><lido:displayPlace>Rome</lido:displayPlace></lido:subjectPlace>
      </lido:subject></lido:subjectSet></lido:subjectWrap>
      <lido:relatedWorksWrap><lido:relatedWorkSet><lido:relatedWork>
        <lido:displayObject>Its stand</lido:displayObject></lido:relatedWork></lido:relatedWorkSet>
        </lido:relatedWorksWrap>
    </lido:objectRelationWrap>
  </lido:descriptiveMetadata>
  <lido:administrativeMetadata xml:lang="en">
    <lido:rightsWorkWrap><lido:rightsWorkSet><lido:creditLine>Purchased 1977</lido:creditLine></lido:rightsWorkSet>
      </lido:rightsWorkWrap>
    <lido:recordWrap>
      <lido:recordID>1977.20</lido:recordID>
      <lido:recordType><lido:term>item</lido:term></lido:recordType>
      <lido:recordSource><lido:legalBodyName><lido:appellationValue>A museum</lido:appellationValue>
        </lido:legalBodyName></lido:recordSource>
      <lido:recordRights><lido:rightsType><lido:conceptID>{CC0}</lido:conceptID><lido:term>CC0 1.0</lido:term>
        </lido:rightsType></lido:recordRights>
      <lido:recordInfoSet lido:type="lido record">
        <lido:recordInfoLink>https://aggregator.example/lido/1977.20</lido:recordInfoLink></lido:recordInfoSet>
      <lido:recordInfoSet><lido:recordInfoLink>https://museum.example/objects/1977.20</lido:recordInfoLink>
        </lido:recordInfoSet>
    </lido:recordWrap>
    <lido:resourceWrap>
      <lido:resourceSet lido:sortorder="2">
        <lido:resourceRepresentation lido:type="image_thumb">
          <lido:linkResource>https://museum.example/img/2-thumb.jpg</lido:linkResource>
          </lido:resourceRepresentation>
        <lido:resourceRepresentation lido:type="image_master">
          <lido:linkResource lido:formatResource="image/jpeg">https://museum.example/img/2.jpg</lido:linkResource>
          </lido:resourceRepresentation>
        <lido:resourceDescription>Detail of a panel</lido:resourceDescription>
      </lido:resourceSet>
      <lido:resourceSet lido:sortorder="1">
        <lido:resourceRepresentation><lido:linkResource>https://museum.example/img/1.jpg</lido:linkResource>
          </lido:resourceRepresentation>
        <lido:resourceDescription>The cabinet open</lido:resourceDescription>
        <lido:resourceDescription xml:lang="de">Der Schrank, geöffnet</lido:resourceDescription>
        <lido:rightsResource><lido:rightsType><lido:conceptID>{PDM}</lido:conceptID></lido:rightsType>
          </lido:rightsResource>
      </lido:resourceSet>
      <lido:resourceSet>
        <lido:resourceRepresentation>
          <lido:linkResource lido:formatResource="text/html">https://museum.example/objects/1977.20</lido:linkResource>
          </lido:resourceRepresentation>
      </lido:resourceSet>
    </lido:resourceWrap>
  </lido:administrativeMetadata>
</lido:lido>"""


def test_every_field_of_a_lido_1_0_record_is_read():
    assert without_source(one(wrapped(FULL_1_0))) == {
        "local_id": "MUS/1977.20",
        "language": "en",
        "title": {"en": ["Cabinet on stand"], "de": ["Kabinettschrank"]},
        "other_titles": [{"title": "Kabinet", "type": "former", "lang": "nl"}],
        "accession_number": "1977.20",
        "description": {"en": ["An ebony cabinet with ivory panels."], "de": ["Ein Kabinettschrank aus Ebenholz."]},
        "inscription": "IACOBVS FECIT\n1600",
        "dimensions": "106 x 101.1 x 60.9 cm",
        "object_type": "cabinet",  # the term in the record's language
        "classification": "furniture",
        "makers": [  # the production event's, not the acquisition's dealer
            {
                "name": "Giacomo Fiammingo",
                "name_sort": "Fiammingo, Giacomo",
                "display_dates": None,
                "role": "cabinetmaker",
                "birth_year": 1550,
                "death_year": 1610,
                "nationality": "Flemish",
            },
            {"name": "Workshop of the Medici court"},
        ],
        "date_display": "about 1600",
        "date_begin": 1596,
        "date_end": 1605,
        "place_of_origin": "Naples",  # the place with an ISO code is the country
        "country": ["IT"],
        "culture": "Neapolitan",
        "period": "Late Renaissance",
        "dynasty": "Habsburg",
        "medium": "ebony and ivory, engraved",
        "materials": ["ebony", "ivory"],  # an untyped term is a material; a mark is neither
        "technique": "engraving",
        "subjects": ["Hercules", "architecture"],
        "place_depicted": "Rome",
        "credit_line": "Purchased 1977",
        "rights": {"metadata_license": CC0, "image_rights": PDM},
        "source_url": "https://museum.example/objects/1977.20",  # not the aggregator's "lido record"
        "images": [  # by sortorder; the largest representation; no web page
            {
                "url": "https://museum.example/img/1.jpg",
                "alt": {"en": ["The cabinet open"], "de": ["Der Schrank, geöffnet"]},
            },
            {"url": "https://museum.example/img/2.jpg", "alt": {"en": ["Detail of a panel"]}},
        ],
    }


def test_the_record_loads_as_the_schema_wants_it():
    body = load_record(one(wrapped(FULL_1_0)))
    assert body["dimensions"] == {
        "text": "106 x 101.1 x 60.9 cm",
        "height_cm": 106.0,
        "width_cm": 101.1,
        "depth_cm": 60.9,
    }
    assert [source["url"] for source in body["_image_sources"]] == [
        "https://museum.example/img/1.jpg",
        "https://museum.example/img/2.jpg",
    ]
    assert "_warnings" not in body


def test_the_record_is_kept_as_received_with_the_paths_no_field_took():
    source = one(wrapped(FULL_1_0))["source_record"]
    assert source["format"] == "lido"
    kept = etree.fromstring(source["xml"].encode())
    received = etree.fromstring(wrapped(FULL_1_0).encode())[0]
    assert etree.tostring(kept, method="c14n") == etree.tostring(received, method="c14n")
    assert source["unmapped"] == [
        "administrativeMetadata/recordWrap/recordID",
        "administrativeMetadata/recordWrap/recordInfoSet",
        "administrativeMetadata/recordWrap/recordSource",
        "administrativeMetadata/recordWrap/recordType",
        "administrativeMetadata/resourceWrap/resourceSet",
        "administrativeMetadata/resourceWrap/resourceSet/resourceRepresentation",
        "descriptiveMetadata/eventWrap/eventSet",
        "descriptiveMetadata/eventWrap/eventSet/event/eventActor/displayActorInRole",
        "descriptiveMetadata/eventWrap/eventSet/event/eventMaterialsTech/materialsTech/termMaterialsTech",
        "descriptiveMetadata/objectClassificationWrap/objectWorkTypeWrap/objectWorkType/conceptID",
        "descriptiveMetadata/objectClassificationWrap/objectWorkTypeWrap/objectWorkType/term",
        "descriptiveMetadata/objectRelationWrap/relatedWorksWrap",
        "objectPublishedID",
    ]


# LIDO 1.1 --------------------------------------------------------------------------------------------
def concept(label: str, about: str = "http://vocab.example/1", lang: str = "en") -> str:
    return (
        f'<skos:Concept rdf:about="{about}"><skos:prefLabel xml:lang="{lang}">{label}</skos:prefLabel></skos:Concept>'
    )


FULL_1_1_EVENT = f"""<lido:objectClassificationWrap>
  <lido:objectWorkTypeWrap><lido:objectWorkType>{concept("painting")}</lido:objectWorkType>
    </lido:objectWorkTypeWrap>
  <lido:classificationWrap>
    <lido:classification>{concept("Malerei", lang="de")}{concept("paintings")}</lido:classification>
    </lido:classificationWrap>
</lido:objectClassificationWrap>
<lido:eventWrap><lido:eventSet><lido:event>
  <lido:eventType>{concept("Production", f"{TERMS}lido00007")}</lido:eventType>
  <lido:eventActor><lido:actorInRole><lido:actor><lido:nameActorSet>
    <lido:appellationValue lido:pref="{TERMS}lido00169">Sandro Botticelli</lido:appellationValue>
    <lido:appellationValue lido:pref="{TERMS}lido00170">Filipepi, Alessandro</lido:appellationValue>
  </lido:nameActorSet><lido:nationalityActor>{concept("Italian")}</lido:nationalityActor></lido:actor>
  <lido:roleActor>{concept("painter")}</lido:roleActor></lido:actorInRole></lido:eventActor>
  <lido:eventDate><lido:displayDate>about 1482</lido:displayDate>
    <lido:date><lido:earliestDate>1482-01-01</lido:earliestDate><lido:latestDate>1482-12-31</lido:latestDate>
      </lido:date></lido:eventDate>
  <lido:periodName>{concept("Renaissance")}</lido:periodName>
  <lido:culture>{concept("Florentine")}</lido:culture>
  <lido:eventMaterialsTech><lido:materialsTech>
    <lido:termMaterialsTech lido:type="{TERMS}lido00132">{concept("poplar")}</lido:termMaterialsTech>
    <lido:termMaterialsTech lido:type="{TERMS}termMaterialsTech_type/material">{concept("tempera")}
      </lido:termMaterialsTech>
    <lido:termMaterialsTech lido:type="{TERMS}lido00131">{concept("panel painting")}</lido:termMaterialsTech>
    <lido:termMaterialsTech lido:type="{TERMS}lido00479">{concept("white")}</lido:termMaterialsTech>
  </lido:materialsTech></lido:eventMaterialsTech>
</lido:event></lido:eventSet></lido:eventWrap>
<lido:objectRelationWrap><lido:subjectWrap><lido:subjectSet><lido:subject>
  <lido:subjectConcept>{concept("spring")}</lido:subjectConcept>
</lido:subject></lido:subjectSet></lido:subjectWrap></lido:objectRelationWrap>"""

MEASURED_1_1 = """<lido:objectMeasurementsWrap><lido:objectMeasurementsSet><lido:objectMeasurements>
  <lido:measurementsSet>
    <lido:measurementType><skos:Concept><skos:prefLabel xml:lang="de">Höhe</skos:prefLabel></skos:Concept>
      </lido:measurementType>
    <lido:measurementUnit><skos:Concept><skos:prefLabel xml:lang="de">Zentimeter</skos:prefLabel></skos:Concept>
      </lido:measurementUnit>
    <lido:measurementValue>203</lido:measurementValue>
  </lido:measurementsSet>
  <lido:measurementsSet>
    <lido:measurementType>width</lido:measurementType><lido:measurementUnit>cm</lido:measurementUnit>
    <lido:measurementValue>314</lido:measurementValue>
  </lido:measurementsSet>
</lido:objectMeasurements></lido:objectMeasurementsSet></lido:objectMeasurementsWrap>"""


def test_lido_1_1_concepts_type_uris_and_structured_measurements_are_read():
    rights = f"<lido:recordWrap><lido:recordRights><lido:rightsType>{concept('CC BY', CC_BY + 'deed.de')}</lido:rightsType></lido:recordRights></lido:recordWrap>"  # noqa: E501
    xml = record_xml(FULL_1_1_EVENT, admin=rights).replace("</lido:titleWrap>", f"</lido:titleWrap>{MEASURED_1_1}")
    data = one(wrapped(xml))
    assert (data["object_type"], data["classification"]) == ("painting", "paintings")
    assert data["makers"] == [
        {
            "name": "Sandro Botticelli",
            "name_sort": "Filipepi, Alessandro",
            "display_dates": None,
            "role": "painter",
            "birth_year": None,
            "death_year": None,
            "nationality": "Italian",
        }
    ]
    assert (data["date_begin"], data["date_end"], data["period"], data["culture"]) == (
        1482,
        1482,
        "Renaissance",
        "Florentine",
    )
    assert (data["materials"], data["technique"]) == (["poplar", "tempera"], "panel painting")
    assert data["subjects"] == ["spring"]
    assert data["dimensions"] == "height 203 cm; width 314 cm"  # English axes: the parser reads them
    assert load_record(data)["dimensions"] == {
        "text": "height 203 cm; width 314 cm",
        "height_cm": 203.0,
        "width_cm": 314.0,
    }
    assert data["rights"] == {"metadata_license": CC_BY}  # a licence's deed page names the licence


def test_lido_1_1_materials_of_the_object_are_read_when_the_event_has_none():
    materials = f"""<lido:objectMaterialsTechWrap><lido:objectMaterialsTechSet>
      <lido:displayMaterialsTech>Tempera on poplar</lido:displayMaterialsTech>
      <lido:materialsTech>
        <lido:termMaterialsTech lido:type="http://terminology.lido-schema.org/lido00514">{concept("poplar (wood)")}
        <lido:term lido:addedSearchTerm="yes" xml:lang="de">Pappelholz</lido:term></lido:termMaterialsTech>
          </lido:materialsTech>
    </lido:objectMaterialsTechSet></lido:objectMaterialsTechWrap>"""
    data = one(wrapped(record_xml().replace("</lido:titleWrap>", f"</lido:titleWrap>{materials}")))
    assert (data["medium"], data["materials"]) == ("Tempera on poplar", ["poplar (wood)"])


@pytest.mark.parametrize(
    ("earliest", "latest", "years"),
    [
        ("1482", "1482", (1482, 1482)),
        ("1482-05-01", "1485-12", (1482, 1485)),
        ("-0500", "-0450", (-500, -450)),
        ("-12000", "", (-12000, -12000)),
    ],
)
def test_years_come_from_iso_dates(earliest, latest, years):
    date = f"<lido:earliestDate>{earliest}</lido:earliestDate><lido:latestDate>{latest}</lido:latestDate>"
    event = f"""<lido:eventWrap><lido:eventSet><lido:event><lido:eventType><lido:term>production</lido:term>
      </lido:eventType>
      <lido:eventDate><lido:date>{date}</lido:date></lido:eventDate></lido:event></lido:eventSet>
        </lido:eventWrap>"""
    body = load_record(one(wrapped(record_xml(event))))
    assert (body["date_begin"], body["date_end"]) == years


def test_a_year_that_is_no_iso_date_is_left_for_the_schema_to_read_from_the_display_date():
    event = """<lido:eventWrap><lido:eventSet><lido:event><lido:eventType><lido:term>production</lido:term>
      </lido:eventType>
      <lido:eventDate><lido:displayDate>ca. 1500</lido:displayDate>
      <lido:date><lido:earliestDate>ca. 1500</lido:earliestDate></lido:date></lido:eventDate></lido:event>
        </lido:eventSet></lido:eventWrap>"""
    data = one(wrapped(record_xml(event)))
    assert "date_begin" not in data and data["date_display"] == "ca. 1500"
    expected = parse_date("ca. 1500")
    assert (load_record(data)["date_begin"], load_record(data)["date_end"]) == (expected.begin, expected.end)
    assert "descriptiveMetadata/eventWrap/eventSet/event/eventDate/date" in data["source_record"]["unmapped"]


def test_rights_are_only_statements_our_rights_field_knows_by_uri_other_rights_stay_in_the_source():
    rights = """<lido:recordWrap><lido:recordRights><lido:rightsType><lido:term>Verwertungsrecht</lido:term>
      </lido:rightsType>
      </lido:recordRights><lido:recordRights><lido:rightsType><lido:term>CC0</lido:term></lido:rightsType>
        </lido:recordRights>
      <lido:recordRights><lido:rightsType><lido:conceptID>https://creativecommons.org/invalid</lido:conceptID>
        </lido:rightsType></lido:recordRights>
      </lido:recordWrap>"""
    data = one(wrapped(record_xml(admin=rights)))
    assert "rights" not in data
    assert "Verwertungsrecht" in data["source_record"]["xml"]
    assert "administrativeMetadata" in data["source_record"]["unmapped"]


def test_a_rights_statement_the_catalogue_does_not_know_is_reported_with_a_warning():
    reserved = "http://www.deutsche-digitale-bibliothek.de/lizenzen/rv-fz/"  # DDB: rights reserved, free access
    unknown = f"""<lido:resourceWrap><lido:resourceSet><lido:rightsResource><lido:rightsType>
      <lido:conceptID>{reserved}</lido:conceptID><lido:term>Rechte vorbehalten - Freier Zugang</lido:term>
      </lido:rightsType></lido:rightsResource></lido:resourceSet></lido:resourceWrap>"""
    (row,) = rows_of(wrapped(record_xml(admin=unknown)))
    assert "rights" not in row.data and reserved in row.data["source_record"]["xml"]
    assert [(w["field"], w["value"]) for w in row.warnings] == [("rights.image_rights", reserved)]
    assert "source_record" in row.warnings[0]["reason"]

    known = f"<lido:recordWrap><lido:recordRights><lido:rightsType><lido:conceptID>{CC0}</lido:conceptID>"
    (row,) = rows_of(wrapped(record_xml(admin=f"{known}</lido:rightsType></lido:recordRights></lido:recordWrap>")))
    assert row.data["rights"] == {"metadata_license": CC0} and row.warnings == []


# Asian records and languages ---------------------------------------------------------------------------
def test_japanese_chinese_and_korean_records_keep_their_scripts():
    rows = list(read_lido(FIXTURES / "asian_masterpieces.xml"))
    assert [row.error for row in rows] == [None, None, None]
    wave, qingming, moon_jar = (row.data for row in rows)

    assert wave["language"] == "ja"
    assert wave["title"] == {"ja": ["冨嶽三十六景 神奈川沖浪裏"], "en": ["Under the Wave off Kanagawa"]}
    assert wave["makers"][0] | {"display_dates": None} == {
        "name": "葛飾北斎",
        "name_sort": "Hokusai, Katsushika",
        "display_dates": None,
        "role": "絵師",  # the role in the record's language, not the English one
        "birth_year": 1760,
        "death_year": 1849,
        "nationality": "日本",
    }
    assert [maker["name"] for maker in wave["makers"]] == ["葛飾北斎", "西村屋与八"]
    assert (wave["place_of_origin"], wave["country"], wave["period"]) == ("江戸", ["JP"], "江戸時代")
    assert (wave["materials"], wave["technique"], wave["place_depicted"]) == (["和紙"], "木版多色摺", "富士山")
    assert wave["images"] == [
        {"url": "https://museum.example/images/A-10569-1/full.jpg", "alt": {"ja": ["全図"], "en": ["The whole print"]}}
    ]

    assert qingming["language"] == "zh-Hant"
    assert qingming["title"] == {"zh-Hant": ["清明上河圖"], "en": ["Along the River During the Qingming Festival"]}
    assert (qingming["makers"][0]["name"], qingming["makers"][0]["name_sort"]) == ("張擇端", "Zhang Zeduan")
    assert (qingming["dynasty"], qingming["object_type"], qingming["materials"]) == ("北宋", "手卷", ["絹"])
    assert qingming["dimensions"] == "height 24.8 cm; length 528.7 cm"
    assert qingming["rights"] == {"metadata_license": CC_BY}

    assert moon_jar["title"] == {"ko": ["백자 달항아리"], "en": ["Moon Jar"], "ja": ["白磁大壺"]}
    assert moon_jar["makers"] == [{"name": "미상 (관요)"}]  # no structured name: as displayed
    assert (moon_jar["dynasty"], moon_jar["culture"], moon_jar["country"]) == ("조선", "한국", ["KR"])
    assert "rights" not in moon_jar  # a licence named in words only stays in source_record
    for row in rows:
        body = load_record(row.data)
        assert body["local_id"] == row.label and "_warnings" not in body


@pytest.mark.parametrize(
    ("written", "tag"),
    [("en", "en"), ("EN", "en"), ("eng", "en"), ("deu", "de"), ("ger", "de"), ("jpn", "ja"), ("zh_TW", "zh-TW"),
     ("zh-hant", "zh-Hant"), ("iw", "he"), ("tl", "tl"), ("und", "none"), ("deutsch", None), ("", None), ("1x", None)],
)  # fmt: skip
def test_xml_lang_codes_become_bcp_47_tags(written, tag):
    assert language_tag(written) == tag


def test_odd_xml_lang_values_fall_back_to_the_record_language_with_a_warning():
    titles = (
        '<lido:appellationValue xml:lang="EN">Mask</lido:appellationValue>'
        '<lido:appellationValue xml:lang="deu">Maske</lido:appellationValue>'
        '<lido:appellationValue xml:lang="deutsch">Holzmaske</lido:appellationValue>'
    )
    (row,) = rows_of(
        wrapped(record_xml(lang="eng").replace("<lido:appellationValue>A title</lido:appellationValue>", titles))
    )
    assert row.data["language"] == "en"
    assert row.data["title"] == {"en": ["Mask", "Holzmaske"], "de": ["Maske"]}
    assert row.warnings == [
        {
            "field": "language",
            "value": "deutsch",
            "reason": "xml:lang 'deutsch' is not a language code; its values were taken as 'en'.",
        }
    ]


def test_a_record_whose_own_language_is_unusable_has_its_administrative_language_or_none():
    admin_language = record_xml(lang="deutsch").replace(
        '<lido:administrativeMetadata xml:lang="deutsch">', '<lido:administrativeMetadata xml:lang="de">'
    )
    assert one(wrapped(admin_language))["language"] == "de"
    data = one(wrapped(record_xml(lang="deutsch")))
    assert data["language"] == "none" and data["title"] == {"none": ["A title"]}
    assert load_record(data)["title"] == {"none": ["A title"]}


# records that cannot be imported -------------------------------------------------------------------------
def test_records_without_an_id_or_a_title_are_rows_with_an_error_and_the_others_still_come():
    no_id = record_xml().replace("<lido:lidoRecID>T-1</lido:lidoRecID>", "")
    no_title = record_xml(recid="T-2", title="  ")
    rows = rows_of(
        HEAD
        + "\n"
        + record_xml(recid="T-0")
        + "\n"
        + no_id
        + "\n"
        + no_title
        + "\n"
        + record_xml(recid="T-3")
        + "</lido:lidoWrap>"
    )
    assert [row.number for row in rows] == [1, 2, 3, 4]
    assert [row.label for row in rows] == ["T-0", None, "T-2", "T-3"]
    assert rows[1].data is None and rows[1].field == "local_id"
    assert rows[1].error == "record 2 (line 3): No lidoRecID: a LIDO record needs one (it becomes the local id)."
    assert rows[2].data is None and rows[2].field == "title"
    assert rows[2].error.startswith("No title in any language")  # the label names it
    assert rows[0].data and rows[3].data


BARE = record_xml().replace("<lido:lido>", f'<lido:lido xmlns:lido="{LIDO}">', 1)
OAI_PMH = (
    '<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>'
    "<record><header><identifier>oai:x:0</identifier></header><metadata>"
    + BARE.replace("T-1", "T-0")
    + "</metadata></record><record><header><identifier>oai:x:1</identifier></header><metadata>"
    + BARE
    + "</metadata></record></ListRecords></OAI-PMH>"
)


@pytest.mark.parametrize(
    ("document", "ids"),
    [
        pytest.param(BARE, ["T-1"], id="bare lido:lido"),
        pytest.param(wrapped(record_xml(recid="T-0"), record_xml()), ["T-0", "T-1"], id="lidoWrap"),
        pytest.param(OAI_PMH, ["T-0", "T-1"], id="OAI-PMH"),
    ],
)
def test_records_are_found_however_they_are_wrapped(document, ids):
    rows = rows_of(document)
    assert [row.data["local_id"] for row in rows] == ids
    assert rows[-1].data["title"] == {"en": ["A title"]}


def test_a_file_without_lido_records_says_so():
    (row,) = rows_of("<records><record>1</record></records>")
    assert row.error.startswith("No LIDO record in this file")


# hostile and broken files ---------------------------------------------------------------------------------
XXE = f"""<?xml version="1.0"?>
<!DOCTYPE lido:lidoWrap [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
{HEAD}<lido:lido><lido:lidoRecID>&secret;</lido:lidoRecID></lido:lido></lido:lidoWrap>"""
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    + f"]>\n{HEAD}<lido:lido><lido:lidoRecID>&lol9;</lido:lidoRecID></lido:lido></lido:lidoWrap>"
)
EXTERNAL_DTD = f'<?xml version="1.0"?>\n<!DOCTYPE lido SYSTEM "http://dtd.invalid/lido.dtd">\n{wrapped(record_xml())}'
AFTER_COMMENTS = (
    f'<?xml version="1.0"?><!-- a museum export --><?xml-stylesheet href="x"?>\n<!DOCTYPE x>{wrapped(record_xml())}'
)


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(XXE, id="XXE"),
        pytest.param(LAUGHS, id="billion laughs"),
        pytest.param(EXTERNAL_DTD, id="external DTD"),
        pytest.param(AFTER_COMMENTS, id="DOCTYPE after comments"),
    ],
)
def test_a_file_with_a_doctype_is_refused_whole_without_reading_or_expanding_anything(document):
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as refused:
        rows_of(document)
    assert "DOCTYPE" in refused.value.message
    assert "root:" not in str(refused.value.errors) and "lollol" not in refused.value.message
    assert time.monotonic() - started < 1


def test_behind_the_doctype_check_the_parser_reads_no_file_and_expands_nothing(monkeypatch):
    monkeypatch.setattr("catalogue.lido.reader.check_prolog", lambda stream: b"")
    for document in (XXE, LAUGHS, EXTERNAL_DTD):
        started = time.monotonic()
        rows = rows_of(document)
        shown = json.dumps([(row.data, row.error) for row in rows], ensure_ascii=False)
        assert "root:" not in shown and "lollollol" not in shown
        assert time.monotonic() - started < 1


def test_a_truncated_file_keeps_the_records_before_the_break_and_names_its_line():
    document = wrapped(*(record_xml(recid=f"T-{n}") + "\n" for n in range(3)))
    cut = document[: document.index("T-2") + 10]
    rows = rows_of(cut)
    assert [row.label for row in rows[:2]] == ["T-0", "T-1"] and all(row.data for row in rows[:2])
    assert len(rows) == 3 and rows[2].data is None
    assert (
        rows[2].error.startswith("The file is not well-formed XML at line 3:")
        and "Reading stopped there" in rows[2].error
    )


def test_a_file_that_is_not_xml_is_refused():
    with pytest.raises(ValidationFailed, match="not an XML file"):
        rows_of("local_id,title\n1,Wave\n")


# size ------------------------------------------------------------------------------------------------------
def test_a_record_too_large_to_keep_whole_keeps_only_what_no_field_took():
    notes = "".join(
        f'<lido:descriptiveNoteValue xml:lang="{lang}">{"描" * 45_000}</lido:descriptiveNoteValue>'
        for lang in ("ja", "zh", "ko", "en", "de", "fr", "nl", "it", "es", "pt", "sv", "pl", "cs", "hu", "fi", "da",
                     "no", "ro", "el", "bg", "hr", "sk", "sl", "et", "lv", "lt")
    )  # fmt: skip
    stand = (
        "<lido:relatedWorkSet><lido:relatedWork><lido:displayObject>Its stand</lido:displayObject></lido:relatedWork>"
    )
    inner = (
        f"<lido:objectRelationWrap><lido:relatedWorksWrap>{stand}</lido:relatedWorkSet>"
        "</lido:relatedWorksWrap></lido:objectRelationWrap>"
    )
    description = (
        f"<lido:objectDescriptionWrap><lido:objectDescriptionSet>{notes}"
        "</lido:objectDescriptionSet></lido:objectDescriptionWrap>"
    )
    xml = record_xml(inner).replace("</lido:titleWrap>", f"</lido:titleWrap>{description}")
    (row,) = rows_of(wrapped(xml))
    source = row.data["source_record"]
    assert len(source["xml"]) < MAX_SOURCE_CHARACTERS and "Its stand" in source["xml"] and "描" not in source["xml"]
    assert "<lido:lidoRecID>T-1</lido:lidoRecID>" in source["xml"]
    assert source["unmapped"] == ["descriptiveMetadata/objectRelationWrap"]
    assert [warning["field"] for warning in row.warnings] == ["source_record"]
    assert len(load_record(row.data)["description"]) == 26


MEMORY_PROBE = textwrap.dedent(
    """
    import json, resource, sys, time
    from catalogue.lido.reader import read_lido

    def peak_kb():  # VmHWM: unlike ru_maxrss, not carried over from the process that started this one
        try:
            return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
        except OSError:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before, started = peak_kb(), time.perf_counter()
    counted = errors = 0
    for row in read_lido(sys.argv[1]):
        counted, errors = counted + 1, errors + (row.error is not None)
    print(json.dumps({"records": counted, "errors": errors, "grew_kb": peak_kb() - before,
                      "seconds": time.perf_counter() - started}))
    """
)


RELATED_WORK = (
    "<lido:relatedWorkSet><lido:relatedWork><lido:displayObject>Thirty-six Views of Mount Fuji, sheet {n}: "
    "a view of the mountain from the coast, the lakes and the roads of the Tōkaidō</lido:displayObject>"
    "<lido:object><lido:objectWebResource>https://museum.example/objects/A-10569-{n}</lido:objectWebResource>"
    '<lido:objectID lido:type="local">A-10569-{n}</lido:objectID></lido:object></lido:relatedWork>'
    "<lido:relatedWorkRelType><lido:term>part of the same series</lido:term></lido:relatedWorkRelType>"
    "</lido:relatedWorkSet>"
)


def large_stream(path: Path, megabytes: int) -> int:
    """A LIDO file of about ``megabytes``, written in chunks: the fixture's Hokusai record with the
    other sheets of its series as related works, about 20 KB (the size of the real records in
    /work/shared/lido: 4.1 MB for 201 records)."""
    record = etree.parse(str(FIXTURES / "asian_masterpieces.xml")).getroot()[0]
    related = "".join(RELATED_WORK.format(n=n) for n in range(2, 26))
    template = etree.tostring(record, encoding="unicode").replace(
        "</lido:subjectWrap>", f"</lido:subjectWrap><lido:relatedWorksWrap>{related}</lido:relatedWorksWrap>"
    )
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n{HEAD}\n')
        while out.tell() < megabytes * 1_000_000:
            out.write("".join(template.replace("ja-0001", f"ja-{count + n}") for n in range(100)))
            count += 100
        out.write("</lido:lidoWrap>\n")
    return count


def test_a_40_mb_stream_is_read_in_flat_memory(tmp_path):
    path = tmp_path / "large.xml"
    count = large_stream(path, 40)
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path)], capture_output=True, text=True, check=True, timeout=300
    )
    result = json.loads(probe.stdout)
    assert (result["records"], result["errors"]) == (count, 0)
    assert result["grew_kb"] < 60_000, result
    assert result["seconds"] < 60, result  # about 10 s on a quiet machine; a leak or a quadratic step shows here
