"""Object records: the marshmallow schema that validates and normalises what curators send."""
from catalogue.records.schema import ObjectRecordSchema, load_record

__all__ = ["ObjectRecordSchema", "load_record"]
