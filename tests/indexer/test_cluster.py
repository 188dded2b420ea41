"""A real two-node Elasticsearch cluster: losing a node fails no search and loses no write, and the
node rejoins (scripts/elasticsearch start --nodes 2, with its own state folder and free ports)."""

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from catalogue.cli import cli_actor
from catalogue.ingest.importer import Importer
from catalogue.models import public_id
from indexer.backends.elasticsearch import ElasticsearchBackend
from tests.support import make_app, record_payload, shared_record_count, shared_records_path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "elasticsearch"
MUSEUM = "clustertest"

# the tests on a cluster start and stop Elasticsearch processes of their own (own ports and data
# folders, nothing shared), but two more JVMs beside the parallel run slowed the browser tests into
# timeouts: they run alone, after it
on_a_cluster = pytest.mark.serial


def test_several_urls_give_the_client_every_node():
    backend = ElasticsearchBackend(" http://127.0.0.1:9201 ,http://127.0.0.1:9202,", alias="unused")
    assert sorted(node.base_url for node in backend.client.transport.node_pool.all()) == [
        "http://127.0.0.1:9201",
        "http://127.0.0.1:9202",
    ]
    with pytest.raises(ValueError):
        ElasticsearchBackend(" , ", alias="unused")


def test_replicas_set_explicitly_are_kept_and_one_node_gets_none(elasticsearch_url):
    # nothing listens there: a set number is never asked of the cluster
    assert ElasticsearchBackend("http://127.0.0.1:9", alias="unused", replicas=0).replicas == 0
    assert ElasticsearchBackend("http://127.0.0.1:9", alias="unused", replicas="2").replicas == 2
    assert ElasticsearchBackend(elasticsearch_url, alias="unused").replicas == 0  # `make test`'s one node


class Cluster:
    """A two-node cluster of this module's own (its own state folder, free ports), run by
    scripts/elasticsearch. It starts in the background: the shared records are imported meanwhile.
    Its folder sits directly under the temporary root: as root the nodes run as an unprivileged
    user, who cannot enter pytest's private temporary folders."""

    def __init__(self):
        self.state_dir = tempfile.mkdtemp(prefix="catalogue-cluster-")
        self.environment = {**os.environ, "ES_STATE_DIR": self.state_dir, "ES_FRESH": "1"}
        command = [str(SCRIPT), "start", "--nodes", "2"]
        self.starting = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.environment
        )
        self._urls = ""

    def urls(self) -> str:
        """The nodes' URLs, comma-separated as CATALOGUE_ELASTICSEARCH_URL takes them (once it is up)."""
        if not self._urls:
            out, err = self.starting.communicate(timeout=300)
            assert self.starting.returncode == 0, err
            self._urls = out.strip().splitlines()[-1]
        return self._urls

    def run(self, *arguments: str) -> str:
        """scripts/elasticsearch on this cluster (stop-node N, start-node N, ...); its last line."""
        result = subprocess.run(
            [str(SCRIPT), *arguments], capture_output=True, text=True, timeout=300, env=self.environment
        )
        assert result.returncode == 0, result.stderr
        lines = result.stdout.strip().splitlines()
        return lines[-1] if lines else ""

    def remove(self) -> None:
        if self.starting.poll() is None:
            self.starting.communicate(timeout=300)
        subprocess.run([str(SCRIPT), "stop"], env=self.environment, timeout=120, capture_output=True)
        for _ in range(5):  # a node that has just exited may still be closing files in its folder
            shutil.rmtree(self.state_dir, ignore_errors=True)
            if not os.path.exists(self.state_dir):
                break
            time.sleep(1)


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def cluster_app(cluster, tmp_path_factory):
    """The catalogue on the cluster, holding every shared record, indexed; replicas left to the
    cluster (ELASTICSEARCH_REPLICAS unset), and writes indexed as they happen (INDEX_SYNC). The
    records go into the store while the cluster starts; the app's start-up drain indexes them."""
    data_dir = str(tmp_path_factory.mktemp("cluster"))
    importing = make_app({"DATA_DIR": data_dir, "SEARCH_BACKEND": "embedded", "INDEX_SYNC": False})
    with importing.app_context():
        report = Importer(importing.extensions["catalogue"], cli_actor(), register_museums=True).import_file(
            shared_records_path()
        )
    assert report.rejected == 0
    importing.extensions["catalogue"].store.dispose()
    app = make_app(
        {
            "DATA_DIR": data_dir,
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": cluster.urls(),
            "ELASTICSEARCH_INDEX": f"cluster-{os.getpid()}",
            "ELASTICSEARCH_REPLICAS": None,
            "INDEX_SYNC": True,
        }
    )
    service, indexer = app.extensions["catalogue"], app.extensions["indexer"]
    assert service.store.outbox_size() == 0  # drained as the app started
    indexer.backend.refresh()
    yield app
    indexer.backend.drop()
    service.store.dispose()


@on_a_cluster
def test_the_urls_name_every_node_and_the_index_has_a_replica_on_the_other_node(cluster_app, cluster):
    backend = cluster_app.extensions["indexer"].backend
    assert len(cluster.urls().split(",")) == 2
    assert backend.replicas == 1  # two data nodes: one replica each shard, by default
    [index] = backend.client.indices.get_settings(index=backend.alias).body.values()
    assert index["settings"]["index"]["number_of_replicas"] == "1"
    assert backend.client.cluster.health(wait_for_status="green", timeout="60s")["status"] == "green"
    assert backend.health()["nodes"] == 2
    assert backend.count() == shared_record_count()[1]


class Traffic:
    """One thread searching and one writing through the API until stopped, counting what failed."""

    def __init__(self, app, token: str, expected_total: int):
        self.app, self.token, self.expected_total = app, token, expected_total
        self.failures: list[str] = []
        self.searches, self.written = 0, []
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self.search), threading.Thread(target=self.write)]

    def search(self):
        client = self.app.test_client()
        while not self.done.is_set():
            try:
                response = client.get("/api/objects?q=portrait&size=12")
                if response.status_code != 200:
                    self.failures.append(f"search: {response.status_code} {response.get_data(as_text=True)[:200]}")
                elif response.get_json()["total"] != self.expected_total:
                    self.failures.append(f"search: {response.get_json()['total']} hits, not {self.expected_total}")
                self.searches += 1
            except Exception as error:  # any failure counts
                self.failures.append(f"search: {error!r}")

    def write(self):
        client, headers = self.app.test_client(), {"Authorization": f"Bearer {self.token}"}
        while not self.done.is_set():
            local_id = f"C{len(self.written)}"
            payload = record_payload(local_id, title=f"Cluster record {len(self.written)}")
            try:
                response = client.put(f"/api/museums/{MUSEUM}/objects/{local_id}", json=payload, headers=headers)
                if response.status_code != 201:
                    self.failures.append(f"write: {response.status_code} {response.get_data(as_text=True)[:200]}")
            except Exception as error:  # any failure counts
                self.failures.append(f"write: {error!r}")
            self.written.append(local_id)
            time.sleep(0.1)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        for thread in self.threads:
            thread.join()


@on_a_cluster
def test_losing_a_node_fails_no_search_and_loses_no_write(cluster_app, cluster):
    service, indexer = cluster_app.extensions["catalogue"], cluster_app.extensions["indexer"]
    client = indexer.backend.client
    client.cluster.health(wait_for_status="green", timeout="60s")
    service.register_museum(
        cli_actor(), {"code": MUSEUM, "names": {"en": ["Cluster Museum"]}, "country": "GB", "status": "member"}
    )
    token = service.create_token(cli_actor(), MUSEUM, "curator")
    expected = cluster_app.test_client().get("/api/objects?q=portrait").get_json()["total"]
    assert expected > 0
    # Both nodes are master-eligible; with two, Elasticsearch keeps only one of them in the voting
    # configuration: the elected master. The other one can go without the cluster losing its master
    # (stopping the master would leave one vote of two: no quorum, no cluster, by design).
    master = client.cat.master(format="json").body[0]["node"]
    other = "1" if master == "node-2" else "2"
    with Traffic(cluster_app, token, expected) as traffic:
        time.sleep(1)
        cluster.run("stop-node", other)
        before = traffic.searches, len(traffic.written)
        time.sleep(5)
        during = traffic.searches - before[0], len(traffic.written) - before[1]
        cluster.run("start-node", other)  # returns once the node has rejoined
        assert client.cluster.health(wait_for_status="green", timeout="90s")["status"] == "green"
        time.sleep(1)
    assert traffic.failures == []
    assert during[0] > 0 and during[1] > 0  # traffic went on while the node was away
    assert client.cluster.health()["number_of_nodes"] == 2
    # every write is in the store; what the cluster could not take waited in the outbox
    ids = sorted(public_id(MUSEUM, local_id) for local_id in traffic.written)
    assert sorted(record.id for record in service.store.get_records(ids)) == ids
    report = indexer.drain()
    assert (report.remaining, report.error) == (0, None)
    indexer.backend.refresh()
    found = client.search(index=indexer.backend.alias, query={"term": {"museum": MUSEUM}}, size=10_000, source=False)
    assert found["hits"]["total"]["value"] == len(ids)  # each once
    assert sorted(hit["_id"] for hit in found["hits"]["hits"]) == ids
    api = cluster_app.test_client().get(f"/api/objects?museum={MUSEUM}&size=12").get_json()
    assert api["total"] == len(ids)
