"""JSON responses encoded with orjson: a search response (hits, ten facets, a histogram) encodes
several times faster than with the standard library, and that is most of our own time around
an Elasticsearch search (see bench/search_bench.py)."""

import orjson
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson doing the encoding; dates, dataclasses and anything else
    orjson does not take go through Flask's own `default`, so the output reads the same."""

    def dumps(self, obj, **kwargs) -> str:
        compact = kwargs.pop("separators", (",", ":")) == (",", ":")
        if kwargs or not compact or self.sort_keys:  # indented (debug) or sorted: the standard way
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=OPTIONS).decode()
