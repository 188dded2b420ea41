"""The least a Flask search API costs under gunicorn: what `search_bench.py --floor` times beside ours.

It parses the request and builds the `_search` body with our code (so Elasticsearch does exactly
the work it does for our API), sends it with the Python client and returns the engine's answer as
it came, re-encoded: no labels, highlights, shaping or headers of ours. Whatever it costs over the
raw `_search` is the part of our ratio no change to our code can remove on this machine.

    CATALOGUE_ELASTICSEARCH_URL=... CATALOGUE_ELASTICSEARCH_INDEX=... gunicorn 'search_floor_app:create_app()'
"""

import os

import orjson
from flask import Flask, Response, request

from catalogue.search_params import request_from_args
from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.queries import elasticsearch_body


def create_app() -> Flask:
    app = Flask(__name__)
    alias = os.environ["CATALOGUE_ELASTICSEARCH_INDEX"]
    engine = ElasticsearchBackend(os.environ["CATALOGUE_ELASTICSEARCH_URL"], alias=alias)
    terms = engine.index_terms()  # as the benchmark's raw bodies expand typos: read once

    @app.get("/api/objects")
    def objects():
        body = elasticsearch_body(request_from_args(request.args), terms)
        answer = engine.client.search(index=alias, **body)
        return Response(orjson.dumps(answer.body), mimetype="application/json")

    return app
