"""docker-compose.yml describes the production shape (no Docker engine here to run it)."""

import re
from pathlib import Path

import yaml

from catalogue import config

ROOT = Path(__file__).resolve().parent.parent
SCRIPT_VERSION = re.search(
    r'ES_VERSION="\$\{ES_VERSION:-([\d.]+)\}"', (ROOT / "scripts/elasticsearch").read_text()
).group(1)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_and_images():
    services = compose()["services"]
    assert set(services) == {"elasticsearch", "app", "indexer"}
    assert services["elasticsearch"]["image"] == f"elasticsearch:{SCRIPT_VERSION}"
    assert services["app"]["build"] == "." and services["indexer"]["build"] == "."
    assert "gunicorn" in services["app"]["command"] and services["indexer"]["command"] == "catalogue index-worker"
    assert (ROOT / "Dockerfile").exists()


def test_elasticsearch_is_single_node_without_security_and_has_a_volume():
    es = compose()["services"]["elasticsearch"]
    assert es["environment"]["discovery.type"] == "single-node"
    assert es["environment"]["xpack.security.enabled"] == "false"
    assert any(volume.endswith(":/usr/share/elasticsearch/data") for volume in es["volumes"])


def test_healthchecks_gate_the_start():
    services = compose()["services"]
    assert "_cluster/health" in " ".join(services["elasticsearch"]["healthcheck"]["test"])
    assert services["app"]["healthcheck"]["test"]
    for name in ("app", "indexer"):
        assert services[name]["depends_on"]["elasticsearch"]["condition"] == "service_healthy"


def test_configuration_is_environment_only_and_names_real_settings():
    services = compose()["services"]
    for name in ("app", "indexer"):
        environment = services[name]["environment"]
        assert environment["CATALOGUE_SEARCH_BACKEND"] == "elasticsearch"
        assert environment["CATALOGUE_ELASTICSEARCH_URL"] == "http://elasticsearch:9200"
        assert environment["CATALOGUE_INDEX_SYNC"] == "false"
        for key in environment:
            assert key.startswith(config.PREFIX) and key[len(config.PREFIX) :] in config.DEFAULTS


def gunicorn_settings() -> dict:
    settings = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), settings)
    return settings


def test_the_production_server_keeps_connections_alive_on_threaded_workers():
    settings = gunicorn_settings()
    assert settings["worker_class"] == "gthread" and settings["threads"] >= 2 and settings["keepalive"] > 0
    assert settings["bind"].endswith(":8000") and settings["workers"] >= 1
    assert "gunicorn.conf.py" in (ROOT / "Dockerfile").read_text()
