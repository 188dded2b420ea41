"""LIDO (Lightweight Information Describing Objects), the XML format museums exchange records in:
``reader`` streams LIDO 1.0/1.1 files into our records (import), ``writer`` turns a record into a
LIDO 1.1 record (export, OAI-PMH). Both follow one mapping, so export -> import gives back the
record; whatever a LIDO record holds that no field of ours takes is kept in ``source_record``.

Mapping (paths below ``lido:lido``; ``dM`` = descriptiveMetadata, ``aM`` = administrativeMetadata)::

    local_id          lidoRecID
    accession_number  dM/objectIdentificationWrap/repositoryWrap/repositorySet/workID
    language          dM/@xml:lang (and aM/@xml:lang); "none" is written "und", which reads back as "none"
    title             dM/objectIdentificationWrap/titleWrap/titleSet[1]/appellationValue (one per xml:lang;
                      every value has its own xml:lang, "und" for none, so that no value inherits dM's)
    other_titles      the other titleSets (lido:type -> type, xml:lang -> lang; no lang: xml:lang="und")
    description       dM/objectIdentificationWrap/objectDescriptionWrap/objectDescriptionSet/descriptiveNoteValue
    inscription       dM/objectIdentificationWrap/inscriptionsWrap/inscriptions/inscriptionTranscription
    dimensions        dM/objectIdentificationWrap/objectMeasurementsWrap/objectMeasurementsSet
                      /displayObjectMeasurements (text; measurementsSet from the parsed values on export)
    object_type       dM/objectClassificationWrap/objectWorkTypeWrap/objectWorkType/term (required: a record
                      without an object type is written with the term "not specified", which means none)
    classification    dM/objectClassificationWrap/classificationWrap/classification/term
    makers            the production (or creation) event's eventActor/actorInRole: actor/nameActorSet
                      /appellationValue (name; a second, lido:pref="alternate", is name_sort),
                      roleActor/term (role), actor/vitalDatesActor earliestDate/latestDate (years),
                      actor/nationalityActor/term, displayActorInRole when no structured name;
                      display_dates: eventActor/displayActorInRole "name (display_dates)"
    date_display      that event's eventDate/displayDate
    date_begin/end    that event's eventDate/date/earliestDate, latestDate (years, BCE negative)
    place_of_origin   that event's eventPlace/place/namePlaceSet/appellationValue (or displayPlace), of
                      the eventPlace without an ISO country placeID
    country           an eventPlace whose place has placeID lido:type="ISO 3166-1 alpha-2"
    culture           that event's culture/term
    period, dynasty   that event's periodName/term (lido:type="dynasty" for the dynasty)
    medium            that event's eventMaterialsTech/displayMaterialsTech
    materials         termMaterialsTech[@lido:type="material"]/term (also LIDO 1.1 type URIs)
    technique         termMaterialsTech[@lido:type="technique"]/term
    subjects          dM/objectRelationWrap/subjectWrap/subjectSet/subject/subjectConcept/term
    place_depicted    dM/objectRelationWrap/subjectWrap/subjectSet/subject/subjectPlace/displayPlace
    credit_line       aM/rightsWorkWrap/rightsWorkSet/creditLine
    department        aM/recordWrap/collection/displayObject (LIDO 1.1: "departmental collections")
    rights            metadata_license: aM/recordWrap/recordRights/rightsType (a rights URI);
                      image_rights: aM/resourceWrap/resourceSet/rightsResource/rightsType (a record
                      without stored images: one resourceSet holding only rightsResource)
    source_url        aM/recordWrap/recordInfoSet[@lido:type="source record"]/recordInfoLink; our object
                      page is objectPublishedID and recordInfoSet[@lido:type="lido record"]/recordInfoLink
                      (with recordMetadataDate lido:type="modified"), never a source_url
    images            aM/resourceWrap/resourceSet/resourceRepresentation/linkResource (URL; on export the
                      original is lido:type lido00464, then the thumbnail lido00451, the IIIF Image API
                      service and the IIIF manifest, both application/ld+json; the original only when
                      the image rights are open for reuse, else the pixel size is the service's),
                      resourceDescription (alt text)
    status, masterpiece  not exported: the catalogue's flags, not a description of the object; an
                      import keeps a record's masterpiece flag (NOT_IN_LIDO) and, as for any row
                      that names none, its status (a new record takes the import's default)
"""

NOT_IN_LIDO = ("masterpiece",)  # record fields a LIDO record cannot say: an import keeps the stored value
