"""Catalogues the LIDO tests export from: the demo records and a slice of the shared set, each
loaded once for the writer's and the round trip's tests together."""

import pytest

from tests.lido.catalogues import catalogue_app, load_demo, load_shared


@pytest.fixture(scope="package")
def demo_app(tmp_path_factory):
    app = catalogue_app(tmp_path_factory.mktemp("lido-demo"))
    load_demo(app)
    yield app
    app.extensions["catalogue"].store.dispose()


@pytest.fixture(scope="package")
def shared_app(tmp_path_factory):
    app = catalogue_app(tmp_path_factory.mktemp("lido-shared"))
    load_shared(app)
    yield app
    app.extensions["catalogue"].store.dispose()
