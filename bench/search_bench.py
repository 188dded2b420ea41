"""Search benchmark: our JSON API vs the raw Elasticsearch `_search` bodies it sends, same run.

    scripts/elasticsearch start
    python bench/search_bench.py [--records 100000] [--rounds 5] [--skip-embedded] [--floor] [--data DIR]
    python bench/search_bench.py --embedded-only [--data DIR] [--profile] [--cpu] [--records 1000000]

Setup (not timed): N records in the store (the shared records replicated), indexed into
Elasticsearch and into the embedded backend. Timed, for a fixed mix of requests (text only,
text + 1-3 facets, facets only, date ranges, deep pages):
- ours, in-process: GET /api/objects through the WSGI test client (parse, search, labels, JSON);
- ours, over HTTP: the same URLs against gunicorn with gunicorn.conf.py (the production settings),
  over one kept-alive connection;
- raw: the `_search` body our code builds for the same request, sent with the Python client;
- floor (`--floor`): a Flask app under the same gunicorn that sends that body and returns the
  engine's answer as it came (`search_floor_app.py`): what any Flask API costs over the raw `_search`;
- embedded: GET /api/objects in-process on the SQLite FTS5 backend.
`--embedded-only` times the embedded backend alone (no Elasticsearch), `--skip-embedded` the
Elasticsearch paths alone; either runs on a store kept in `--data` when given (built there once,
reused by later runs: a million records take a while to build).
The embedded figures include the mix right after a write (one document written again before each
round): what a search pays when curators are at work, for the column data the write made stale.
`--profile` adds its time per part (text match, facets, sort, hits, highlight: `search_profile.py`),
`--cpu` measures this process's CPU time instead of the wall clock (for a machine shared with other work).
"""

import argparse
import http.client
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import parse_qsl, quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from index_bench import kept_store
from search_profile import SearchProfile, print_summary
from werkzeug.datastructures import MultiDict

from catalogue import config, create_app
from catalogue.search_params import request_from_args
from catalogue.store import tables as t
from indexer.backends.elasticsearch import ElasticsearchBackend
from indexer.queries import elasticsearch_body
from indexer.worker import Indexer

TEXT = [
    "turner",
    "portrait",
    "landscape",
    "japan",
    "sword",
    "paper",
    "durer",
    "dürer",
    "北斎",
    "後藤",
    "foto suriname",
    '"oil on canvas"',
    "river -thames",
    "temple",
    "woodblock print",
    "vase",
    # the tolerance of issue 13: typos, plurals, another language, romanized names, maker variants
    "drving",
    "sketchbok",
    "portraits sultan",
    "landscapes sketchbook",
    "photograph",
    "tekening",
    "yasuchika",
    "J.M.W. Turner",
]
MIX = (
    [f"q={q}" for q in TEXT]
    + [
        f"q={q}&{f}"
        for q, f in [
            ("turner", "museum=tate"),
            ("portrait", "region=europe"),
            ("paper", "museum=cmoa&museum=tate"),
            ("japan", "museum=walters&object_type=aat%3A300312096"),
            ("landscape", "rights=open"),
            ("vase", "country=US&has_image=false"),
            ("foto", "museum=rijksmuseum&material=aat%3A300014109"),
            ("print", "region=europe&masterpiece=false&rights=restricted"),
            ("sword", "culture=Edo"),
            ("river", "museum=tate&object_type=aat%3A300033618"),
            ("temple", "region=americas"),
            ("woman", "museum=cmoa&region=americas&rights=restricted"),
            ("drawing", "museum=tate&maker=Joseph%20Mallord%20William%20Turner"),
            ("book", "country=NL"),
            ("ink", "material=aat%3A300015012&material=aat%3A300014109"),
        ]
    ]
    + [
        "",
        "museum=tate",
        "museum=walters&museum=cmoa",
        "region=europe",
        "object_type=aat%3A300033618",  # paintings
        "maker=Joseph%20Mallord%20William%20Turner",
        "material=aat%3A300014109",  # paper
        "culture=Edo",
        "rights=open&has_image=false",
        "country=US&object_type=aat%3A300041273",  # prints
    ]
    + [
        "date_from=-500&date_to=0",
        "date_from=1800&date_to=1850",
        "q=landscape&date_from=1700&date_to=1800",
        "museum=walters&date_from=500%20BCE&date_to=1000",
        "date_from=1900",
        "date_to=1500&sort=oldest",
    ]
    + ["page=100&size=24", "q=paper&page=40&size=24", "sort=title&page=200&size=48", "sort=newest&page=400&size=24"]
)


# The store's shared records name over a thousand images by URL, on museum hosts this machine
# cannot reach: the app's fetcher would retry them on its timer in every process, beside the timed
# searches (work the raw baseline never does, and a catalogue whose images were fetched no longer does).
NO_IMAGE_FETCHING = {"IMAGE_FETCH_SECONDS": 0}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
    }


def timed(functions: dict, rounds: int, clock=time.perf_counter) -> dict[str, list[float]]:
    """Each request through every function in turn, so all of them meet the engine in the same state
    (merges, caches, a busy neighbour on a 2-core machine); sequential blocks drifted by 20 %."""
    samples = {name: [] for name in functions}
    for _ in range(rounds):
        for query in MIX:
            for name, function in functions.items():
                started = clock()
                function(query)
                samples[name].append(clock() - started)
    return samples


def check(status: int, query: str) -> None:
    if status != 200:
        raise RuntimeError(f"{query}: HTTP {status}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, app: str = "catalogue:create_app()") -> subprocess.Popen:
    # gunicorn.conf.py in ROOT: the production settings (threaded workers, keep-alive)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            app,
        ],
        env={**os.environ, **env},
        cwd=str(ROOT),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


class HttpClient:
    """One kept-alive connection, as a browser or proxy holds (and as the Elasticsearch client
    holds for the raw baseline)."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, query: str) -> None:
        try:
            response = self._get(query)
        except (http.client.RemoteDisconnected, ConnectionError):  # the server closed an idle connection
            self.connection.close()
            response = self._get(query)
        check(response.status, query)
        if response.will_close:
            self.connection.close()

    def _get(self, query: str) -> http.client.HTTPResponse:
        self.connection.request("GET", f"/api/objects?{quote(query, safe='=&%')}")
        response = self.connection.getresponse()
        response.read()
        return response


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--embedded-only", action="store_true", help="time the embedded backend alone")
    parser.add_argument("--data", type=Path, help="keep (and reuse) the store and its embedded index here")
    parser.add_argument("--skip-embedded", action="store_true", help="time Elasticsearch only (ours and raw)")
    parser.add_argument("--profile", action="store_true", help="the embedded search's time per part")
    parser.add_argument(
        "--cpu", action="store_true", help="with --embedded-only: this process's CPU time, not the wall clock"
    )
    parser.add_argument("--floor", action="store_true", help="also time the least any Flask API costs over gunicorn")
    args = parser.parse_args()
    if args.embedded_only:
        embedded_main(args)
        return
    url = (
        os.environ.get("CATALOGUE_ELASTICSEARCH_URL")
        or subprocess.check_output([str(ROOT / "scripts/elasticsearch"), "status"], text=True).strip()
    )
    with tempfile.TemporaryDirectory() as temp:
        data_dir = args.data or Path(temp) / "data"
        store = kept_store(data_dir, args.records, embedded=not args.skip_embedded)
        alias = "bench-search"
        es = ElasticsearchBackend(url, alias=alias)
        es.drop()
        Indexer(store, es).reindex()
        es.refresh()
        env = {
            "CATALOGUE_DATA_DIR": str(data_dir),
            "CATALOGUE_SEARCH_BACKEND": "elasticsearch",
            "CATALOGUE_ELASTICSEARCH_URL": url,
            "CATALOGUE_ELASTICSEARCH_INDEX": alias,
            "CATALOGUE_IMAGE_FETCH_SECONDS": "0",
        }
        # the in-process app reads the settings gunicorn's workers read, typed by the same reader
        settings = {name: value for name, value in config.from_environment(env).items() if config.PREFIX + name in env}
        ours = create_app(settings).test_client()
        embedded = None
        if not args.skip_embedded:
            embedded = create_app({"DATA_DIR": str(data_dir), **NO_IMAGE_FETCHING}).test_client()
        terms = es.index_terms()  # the same word list our search expands typos with
        bodies = {q: elasticsearch_body(request_from_args(MultiDict(parse_qsl(q))), terms) for q in MIX}

        def raw(query):
            es.client.search(index=alias, **bodies[query])

        def in_process(query):
            check(ours.get(f"/api/objects?{query}").status_code, query)

        profile = SearchProfile() if args.profile else None

        def on_embedded(query):
            assert embedded is not None
            with profile.request() if profile else nullcontext():
                check(embedded.get(f"/api/objects?{query}").status_code, query)

        port = free_port()
        servers = [start_gunicorn(env, port)]
        try:
            over_http = HttpClient(port)
            functions = {"raw": raw, "ours_in_process": in_process, "ours_http": over_http.get}
            if args.floor:
                floor_port = free_port()
                floor_env = {**env, "PYTHONPATH": str(ROOT / "bench")}  # where search_floor_app.py is
                servers.append(start_gunicorn(floor_env, floor_port, app="search_floor_app:create_app()"))
                functions["floor_http"] = HttpClient(floor_port).get
            if not args.skip_embedded:
                functions["embedded_in_process"] = on_embedded
            timed(functions, 1)  # warm caches and connections; not counted
            if profile:
                profile.install()
            results = timed(functions, args.rounds)
        finally:
            for server in servers:
                server.terminate()
                server.wait()
        es.drop()
    figures = {name: summary(values) for name, values in results.items()}
    figures["requests_in_mix"] = len(MIX)
    figures["records"] = args.records
    figures["ratio_in_process_median"] = round(figures["ours_in_process"]["median_ms"] / figures["raw"]["median_ms"], 3)
    figures["ratio_http_median"] = round(figures["ours_http"]["median_ms"] / figures["raw"]["median_ms"], 3)
    for name in results:
        print(f"{name:22s} median {figures[name]['median_ms']:8.2f} ms   p95 {figures[name]['p95_ms']:8.2f} ms")
    print(
        f"ratio ours/raw (median): in-process {figures['ratio_in_process_median']}, "
        f"over HTTP {figures['ratio_http_median']}"
    )
    if "floor_http" in figures:
        figures["ratio_floor_http_median"] = round(figures["floor_http"]["median_ms"] / figures["raw"]["median_ms"], 3)
        floor = figures["ratio_floor_http_median"]
        print(f"ratio floor/raw (median), the least a Flask API costs over gunicorn: {floor}")
    if profile:
        figures["embedded_parts"] = profile.summary()
        print_summary(figures["embedded_parts"])
    print(json.dumps(figures))


def embedded_store(args) -> Path:
    """The data folder of an embedded store of `--records` records: `--data` when it holds one
    already, else built there (or in a temporary folder)."""
    data_dir = args.data or Path(tempfile.mkdtemp(prefix="search-bench-")) / "data"
    kept_store(data_dir, args.records, embedded=True)
    return data_dir


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_after_writes(app, on_embedded, rounds: int, clock) -> list[float]:
    """The mix right after a write, each round: one document written again (the first record's, as
    the index worker writes it), so the search process follows the change and its first searches
    pay for what the write made stale (text match lists, sort orders, counts)."""
    store, backend = app.extensions["catalogue"].store, app.extensions["search"].backend
    with store.reading() as conn:
        first = conn.execute(t.records.select().with_only_columns(t.records.c.id).limit(1)).scalar_one()
    documents = Indexer(store, backend).documents(store.get_records([first]))
    samples: list[float] = []
    for _ in range(rounds):
        backend.bulk(documents)  # the same revision again: written anew, as a repeated drain would
        samples += timed({"after_write": on_embedded}, 1, clock)["after_write"]
    return samples


def embedded_main(args) -> None:
    """The embedded backend alone: its median and p95 over the mix, the process's peak memory,
    and with --profile the time per part."""
    data_dir = embedded_store(args)
    app = create_app({"DATA_DIR": str(data_dir), **NO_IMAGE_FETCHING})
    embedded = app.test_client()
    profile = None
    wall: list[float] = []  # with --cpu, the wall clock too (a busy neighbour shows here, not in CPU time)

    def on_embedded(query):
        started = time.perf_counter()
        with profile.request() if profile else nullcontext():
            check(embedded.get(f"/api/objects?{query}").status_code, query)
        wall.append(time.perf_counter() - started)

    started = time.perf_counter()
    on_embedded("")  # the first search loads the columns
    first_search_s = time.perf_counter() - started
    # on a machine shared with other work, CPU time shows this process's own cost
    clock = time.process_time if args.cpu else time.perf_counter
    profiles = {"cold": SearchProfile(clock), "warm": SearchProfile(clock)} if args.profile else {}
    if profiles:
        profile = profiles["cold"]
        profile.install()
    cold = timed({"embedded_in_process": on_embedded}, 1, clock)  # each request's first time: no match list kept yet
    if profiles:
        profile.uninstall()
        profile = profiles["warm"]
        profile.install()
    wall.clear()
    results = timed({"embedded_in_process": on_embedded}, args.rounds, clock)
    warm_wall = summary(wall)
    if profiles:
        profile.uninstall()
        profile = None
    after_write = timed_after_writes(app, on_embedded, args.rounds, clock)
    figures = {
        "embedded_in_process": summary(results["embedded_in_process"]),
        "records": args.records,
        "requests_in_mix": len(MIX),
        "clock": "cpu" if args.cpu else "wall",
        "embedded_wall_clock": warm_wall,
        "embedded_first_round": summary(cold["embedded_in_process"]),
        "embedded_after_a_write": summary(after_write),
        "first_after_a_write_ms": round(max(after_write) * 1000, 1),
        "first_search_s": round(first_search_s, 2),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(
        f"embedded_in_process    median {figures['embedded_in_process']['median_ms']:8.2f} ms   "
        f"p95 {figures['embedded_in_process']['p95_ms']:8.2f} ms   peak RSS {figures['peak_rss_mb']} MB"
    )
    print(
        f"  wall clock: median {figures['embedded_wall_clock']['median_ms']} ms, "
        f"p95 {figures['embedded_wall_clock']['p95_ms']} ms"
    )
    print(
        f"first round (cold)     median {figures['embedded_first_round']['median_ms']:8.2f} ms   "
        f"p95 {figures['embedded_first_round']['p95_ms']:8.2f} ms   first search {first_search_s:.1f} s"
    )
    print(
        f"after a write          median {figures['embedded_after_a_write']['median_ms']:8.2f} ms   "
        f"p95 {figures['embedded_after_a_write']['p95_ms']:8.2f} ms   slowest {figures['first_after_a_write_ms']} ms"
    )
    for name, measured in profiles.items():
        figures[f"embedded_parts_{name}"] = measured.summary()
        print(f"{name} round{'s' if name == 'warm' else ''}:")
        print_summary(figures[f"embedded_parts_{name}"])
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
