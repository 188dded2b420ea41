"""docker-compose.yml and the Dockerfile describe the production shape (no Docker engine here to run
them, so these tests read the files)."""

import json
import re
from pathlib import Path

import sqlalchemy as sa
import yaml

from catalogue import config
from tests.support import gunicorn_settings

ROOT = Path(__file__).resolve().parent.parent
SCRIPT_VERSION = re.search(
    r'ES_VERSION="\$\{ES_VERSION:-([\d.]+)\}"', (ROOT / "scripts/elasticsearch").read_text()
).group(1)
CATALOGUE_SERVICES = ("migrate", "app", "indexer")  # built from the Dockerfile, configured by CATALOGUE_*


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_and_images():
    services = compose()["services"]
    assert set(services) == {"postgres", "elasticsearch", "migrate", "app", "indexer"}
    assert services["elasticsearch"]["image"] == f"elasticsearch:{SCRIPT_VERSION}"
    assert re.fullmatch(r"postgres:1[67](\.\d+)*", services["postgres"]["image"])
    assert all(services[name]["build"] == "." for name in CATALOGUE_SERVICES)
    assert "gunicorn" in services["app"]["command"] and services["indexer"]["command"] == "catalogue index-worker"
    assert (ROOT / "Dockerfile").exists()


def test_elasticsearch_is_single_node_without_security_and_has_a_volume():
    es = compose()["services"]["elasticsearch"]
    assert es["environment"]["discovery.type"] == "single-node"
    assert es["environment"]["xpack.security.enabled"] == "false"
    assert any(volume.endswith(":/usr/share/elasticsearch/data") for volume in es["volumes"])


def documented_cluster() -> dict:
    """The two Elasticsearch nodes docker-compose.yml documents in comments (between `# cluster-begin`
    and `# cluster-end`), read as Compose reads them once uncommented."""
    text = (ROOT / "docker-compose.yml").read_text()
    block = text.split("# cluster-begin\n", 1)[1].split("# cluster-end", 1)[0]
    return yaml.safe_load("\n".join(re.sub(r"^  # ?", "", line) for line in block.splitlines()))


def test_the_documented_cluster_is_two_nodes_that_find_each_other():
    nodes = documented_cluster()
    assert set(nodes) == {"elasticsearch", "elasticsearch-2"}  # the first keeps the service name the app uses
    data_volumes = set()
    for name, node in nodes.items():
        environment = node["environment"]
        assert node["image"] == f"elasticsearch:{SCRIPT_VERSION}"
        assert "discovery.type" not in environment  # single-node discovery refuses other nodes
        assert environment["node.name"] == name and environment["cluster.name"] == "catalogue"
        assert environment["discovery.seed_hosts"].split(",") == [other for other in nodes if other != name]
        assert set(environment["cluster.initial_master_nodes"].split(",")) == set(nodes)
        assert environment["xpack.security.enabled"] == "false"
        [volume] = [v for v in node["volumes"] if v.endswith(":/usr/share/elasticsearch/data")]
        data_volumes.add(volume.split(":")[0])
    assert len(data_volumes) == 2  # a data folder each
    assert (
        "CATALOGUE_ELASTICSEARCH_URL: http://elasticsearch:9200,http://elasticsearch-2:9200"
        in (ROOT / "docker-compose.yml").read_text()
    )


def test_postgres_keeps_its_data_in_a_volume_and_reports_when_ready():
    document = compose()
    postgres = document["services"]["postgres"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    [volume] = [v for v in postgres["volumes"] if v.endswith(":/var/lib/postgresql/data")]
    assert volume.split(":")[0] in document["volumes"]
    assert postgres["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")  # no default password


def test_healthchecks_gate_the_start():
    services = compose()["services"]
    assert "_cluster/health" in " ".join(services["elasticsearch"]["healthcheck"]["test"])
    assert services["app"]["healthcheck"]["test"]
    for name in CATALOGUE_SERVICES:
        assert services[name]["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_schema_is_migrated_once_before_the_app_and_the_indexer_start():
    services = compose()["services"]
    migrate = services["migrate"]
    assert migrate["command"] == "catalogue db upgrade"
    assert migrate.get("restart", "no") == "no" and "ports" not in migrate
    for name in ("app", "indexer"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def interpolate(value: str, variables: dict[str, str]) -> str:
    """What Compose makes of ${NAME}, ${NAME:-default} and ${NAME:?error} with these variables set."""
    return re.sub(r"\$\{(\w+)[^}]*\}", lambda match: variables[match.group(1)], value)


def test_the_catalogue_uses_the_postgres_service_as_its_store():
    services = compose()["services"]
    postgres = services["postgres"]["environment"]
    variables = {"POSTGRES_PASSWORD": "s3cret", "CATALOGUE_BASE_URL": "x", "CATALOGUE_SECRET_KEY": "x"}
    for name in CATALOGUE_SERVICES:
        url = sa.make_url(interpolate(services[name]["environment"]["CATALOGUE_DATABASE_URL"], variables))
        assert (url.drivername, url.host, url.port) == ("postgresql+psycopg", "postgres", 5432)
        assert (url.username, url.database) == (postgres["POSTGRES_USER"], postgres["POSTGRES_DB"])
        assert url.password == interpolate(postgres["POSTGRES_PASSWORD"], variables)


def test_configuration_is_environment_only_and_names_real_settings():
    services = compose()["services"]
    for name in CATALOGUE_SERVICES:
        environment = services[name]["environment"]
        assert environment["CATALOGUE_SEARCH_BACKEND"] == "elasticsearch"
        assert environment["CATALOGUE_ELASTICSEARCH_URL"] == "http://elasticsearch:9200"
        assert environment["CATALOGUE_INDEX_SYNC"] == "false"
        for key in environment:
            assert key.startswith(config.PREFIX) and key[len(config.PREFIX) :] in config.DEFAULTS


def test_the_production_server_keeps_connections_alive_on_threaded_workers():
    settings = gunicorn_settings()
    assert settings["worker_class"] == "gthread" and settings["threads"] >= 2 and settings["keepalive"] > 0
    assert settings["bind"].endswith(":8000") and settings["workers"] >= 1
    assert "gunicorn.conf.py" in (ROOT / "Dockerfile").read_text()


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_image_runs_as_an_unprivileged_user_that_owns_the_data_folder():
    steps = dockerfile()
    [user] = [arguments for instruction, arguments in steps if instruction == "USER"]
    assert user not in ("root", "0") and not user.startswith(("root:", "0:"))
    created = next(arguments for instruction, arguments in steps if "useradd" in arguments)
    assert re.search(rf"useradd\b.*\b{re.escape(user)}\b", created)
    assert re.search(rf"chown\s+(-R\s+)?{re.escape(user)}(:\S+)?\s+/data\b", created)
    order = [instruction for instruction, _ in steps]
    # a change to /data after VOLUME is thrown away; the command runs as the last USER named
    assert steps.index(("RUN", created)) < order.index("VOLUME")
    assert steps.index(("USER", user)) < order.index("CMD")


def test_the_image_command_is_a_valid_exec_form():
    [command] = [arguments for instruction, arguments in dockerfile() if instruction == "CMD"]
    assert json.loads(command) == ["gunicorn", "catalogue:create_app()"]


def test_the_image_carries_the_viewer_bundles_and_finds_its_templates():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM node:" in dockerfile and "scripts/viewers" in dockerfile
    assert "COPY --from=viewers /build/catalogue/static/vendor ./catalogue/static/vendor" in dockerfile
    assert "pip install --no-cache-dir -e ." in dockerfile  # templates and static stay beside the code
    for folder in ("catalogue", "indexer", "iiif", "templates"):
        assert f"COPY {folder} ./{folder}" in dockerfile
