"""IIIF image benchmark: pyramid build time and peak memory (ours, with Pillow and with libvips, against
libvips' own dzsave), and tile requests per second (our server, the zimeon reference server, a plain
static file server of our pyramid). Prints a table; it is not a test.

    .venv/bin/python bench/iiif_bench.py [--width 10000 --height 8000] [--png-side 12000] [--requests 500]

Needs the bench extra (pyvips, pyvips-binary) and gunicorn; the zimeon reference server (PyPI "iiif") is
installed on first use into a folder of its own inside the venv (its package name would shadow ours).
Every build runs in its own process and reports its peak RSS (VmHWM), interpreter included.
All servers get the same canonical tile URLs from the same client threads in the same run.
"""

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
IDENTIFIER = "bench"
REFERENCE_VERSION = "1.0.10"

# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child would report this process's size
# CPU seconds too: on a shared machine they vary less than wall time
PEAK = """
import resource
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime - cpu_before,
                  "peak_mb": peak_kb / 1024}))
"""
BUILD = (
    """
import json, sys, time
from pathlib import Path
from iiif.pyramid import build_pyramid
cpu_before, started = time.process_time(), time.perf_counter()
build_pyramid(Path(sys.argv[1]), Path(sys.argv[2]), engine=sys.argv[3])
"""
    + PEAK
)
DZSAVE = (
    """
import json, sys, time
import pyvips
cpu_before, started = time.process_time(), time.perf_counter()
image = pyvips.Image.new_from_file(sys.argv[1], access="sequential")
image.dzsave(sys.argv[2], layout="iiif3", tile_size=512, overlap=0, depth="onetile", suffix=".jpg[Q=85,strip]")
"""
    + PEAK
)


def wsgi_app():
    """gunicorn's entry for our server: the image blueprint on one pyramid (see serve_ours)."""
    from flask import Flask

    from iiif.image_views import ImageSource, init_app

    app = Flask("iiif_bench")
    app.config["BASE_URL"] = os.environ["IIIF_BENCH_BASE_URL"]
    source = ImageSource(Path(os.environ["IIIF_BENCH_PYRAMID"]))
    init_app(app, lambda identifier: source if identifier == IDENTIFIER else None)
    return app


def noisy_image(width: int, height: int, noise: float):
    """Smooth colour fields plus grain: compresses like a photograph, not like a flat test card."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    fields = Image.fromarray(rng.integers(0, 256, (max(2, height // 400), max(2, width // 400), 3), dtype=np.uint8))
    pixels = np.asarray(fields.resize((width, height), Image.Resampling.BICUBIC)).copy()
    for top in range(0, height, 1000):  # in strips: the grain array stays small
        strip = pixels[top : top + 1000]
        strip[:] = np.clip(strip + rng.normal(0, noise, strip.shape), 0, 255)
    return Image.fromarray(pixels)


def make_sources(work: Path, width: int, height: int, png_side: int) -> tuple[Path, Path | None]:
    jpeg = work / "source" / f"{IDENTIFIER}.jpg"
    jpeg.parent.mkdir()
    noisy_image(width, height, noise=10).save(jpeg, "JPEG", quality=90)
    if not png_side:
        return jpeg, None
    png = work / "png-source.png"
    noisy_image(png_side, png_side, noise=3).save(png, "PNG", compress_level=1)
    return jpeg, png


def run_measured(code: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_builds(source: Path, work: Path, label: str, engines: list[str]) -> list[tuple[str, dict]]:
    rows = []
    if "vips" in engines:
        rows.append((f"{label}: libvips dzsave, tiles only", run_measured(DZSAVE, str(source), str(work / "dz"))))
    for engine in engines:
        rows.append((f"{label}: ours, {engine} engine", run_measured(BUILD, str(source), str(work / engine), engine)))
    return rows


def tile_paths(pyramid: Path, count: int) -> list[str]:
    """``count`` canonical tile tails from every level, mixed with a fixed seed."""
    from iiif.pyramid_layout import PyramidInfo, level_tiles, tile_tail

    info = PyramidInfo.load(pyramid)
    tails = [
        tile_tail(info.width, info.height, tile)
        for scale in info.scale_factors
        for tile in level_tiles(info.width, info.height, info.tile_width, scale)
    ]
    chosen = list(itertools.islice(itertools.cycle(tails), count))
    random.Random(7).shuffle(chosen)
    return chosen


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered {path} on port {port}")


def request_rate(port: int, paths: list[str], clients: int, time_limit: float) -> tuple[float, int]:
    """Requests per second from ``clients`` threads with kept-alive connections (when the server keeps
    them), stopping after all paths or ``time_limit`` seconds. Every answer must be a 200."""
    queue = iter(paths)
    lock, done, failures = threading.Lock(), [0], []
    deadline = time.monotonic() + time_limit

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while time.monotonic() < deadline:
            with lock:
                path = next(queue, None)
            if path is None:
                return
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append((path, response.status))
            with lock:
                done[0] += 1
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, e.g. {failures[:3]}")
    return done[0] / (time.perf_counter() - started), done[0]


def serve(command: list[str], port: int, probe: str, env: dict | None = None, cwd: Path | None = None):
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env={**os.environ, **(env or {})}
    )
    try:
        wait_until_serving(port, probe)
    except BaseException:
        process.terminate()
        raise
    return process


def measure_server(
    label: str,
    command: list[str],
    prefix: str,
    tails: list[str],
    clients: int,
    time_limit: float,
    env: dict | None = None,
    cwd: Path | None = None,
) -> tuple[str, float, int]:
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    env = {name: value.replace("{port}", str(port)) for name, value in (env or {}).items()}
    process = serve(command, port, f"{prefix}/{tails[0]}", env, cwd)
    try:
        rate, count = request_rate(port, [f"{prefix}/{tail}" for tail in tails], clients, time_limit)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return label, rate, count


def catalogue_with_image(work: Path, source: Path) -> tuple[Path, str]:
    """A catalogue data folder with one published record whose image is ``source``, uploaded through
    the service as a curator would (so the Image API finds it through the store, privacy and all)."""
    from catalogue import create_app
    from catalogue.cli import cli_actor

    data_dir = work / "catalogue"
    app = create_app({"DATA_DIR": str(data_dir), "MAX_IMAGE_BYTES": 1_000_000_000, "INDEX_SYNC": False})
    service = app.extensions["catalogue"]
    service.upgrade_schema()
    museum = {"code": "bench", "names": {"en": ["Bench"]}, "country": "GB", "status": "member"}
    service.register_museum(cli_actor(), museum)
    service.upsert(cli_actor(), "bench", {"local_id": "B1", "title": "Benchmark image"})
    (image,) = service.add_images(cli_actor(), "bench", "B1", [(source.read_bytes(), source.name)])
    service.store.dispose()
    return data_dir, image.id


def reference_server() -> Path:
    """The zimeon reference server, installed once into a folder of its own: its package is also called
    "iiif", so it must never be on the path of our own code."""
    folder = Path(sys.prefix) / "iiif-reference-server"
    if not (folder / "bin" / "iiif_testserver.py").exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                str(folder),
                f"iiif=={REFERENCE_VERSION}",
                "ConfigArgParse",
                "python-magic",
            ],
            check=True,
        )
    return folder


def measure_servers(pyramid: Path, source: Path, work: Path, args) -> list[tuple[str, float, int]]:
    tails = tile_paths(pyramid, args.requests)
    rows = []
    gunicorn = BIN / "gunicorn"
    if gunicorn.exists():
        command = [
            str(gunicorn),
            "-w",
            "2",
            "-k",
            "gthread",
            "--threads",
            "4",
            "-b",
            "127.0.0.1:{port}",
            "iiif_bench:wsgi_app()",
        ]
        label = "ours (gunicorn, 2 workers x 4 threads)"
    else:
        command = [
            sys.executable,
            "-c",
            "import iiif_bench; from werkzeug.serving import run_simple; "
            "run_simple('127.0.0.1', {port}, iiif_bench.wsgi_app(), threaded=True)",
        ]
        label = "ours (werkzeug, threaded)"
    env = {
        "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}",
        "IIIF_BENCH_PYRAMID": str(pyramid),
        "IIIF_BENCH_BASE_URL": "http://127.0.0.1:{port}",
    }
    rows.append(measure_server(label, command, f"/iiif/3/{IDENTIFIER}", tails, args.clients, 600, env, work))
    data_dir, image_id = catalogue_with_image(work, source)
    app_command = [*command[:-1], "catalogue:create_app()"] if gunicorn.exists() else command
    app_env = {
        "PYTHONPATH": str(ROOT),
        "CATALOGUE_DATA_DIR": str(data_dir),
        "CATALOGUE_BASE_URL": "http://127.0.0.1:{port}",
        "CATALOGUE_INDEX_SYNC": "false",
    }
    rows.append(
        measure_server(
            "ours, the whole catalogue app (same server settings)",
            app_command,
            f"/iiif/3/{image_id}",
            tails,
            args.clients,
            600,
            app_env,
            ROOT,
        )
    )
    reference = reference_server()
    command = [
        sys.executable,
        str(reference / "bin" / "iiif_testserver.py"),
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--image-dir",
        str(source.parent),
        "--api-versions",
        "3.0",
        "--manipulators",
        "pil",
        "--quiet",
    ]
    rows.append(
        measure_server(
            "zimeon reference server (PIL)",
            command,
            f"/3.0_pil/{source.stem}",
            tails,
            args.clients,
            args.reference_seconds,
            {"PYTHONPATH": str(reference)},
            work,
        )
    )
    command = [sys.executable, "-m", "http.server", "{port}", "--bind", "127.0.0.1", "--directory", str(pyramid)]
    rows.append(measure_server("static files (python http.server)", command, "", tails, args.clients, 600, cwd=work))
    return rows


def print_report(builds: list[tuple[str, dict]], servers: list[tuple[str, float, int]], args) -> None:
    print(f"\npyramid builds{'':38}{'seconds':>9}{'CPU s':>8}{'peak RSS MB':>13}")
    for label, result in builds:
        print(f"  {label:<50}{result['seconds']:>9.2f}{result['cpu']:>8.2f}{result['peak_mb']:>13.0f}")
    results = dict(builds)
    jpeg = f"{args.width}x{args.height} JPEG"
    theirs = results.get(f"{jpeg}: libvips dzsave, tiles only")
    for engine in ("vips", "pillow"):
        ours = results.get(f"{jpeg}: ours, {engine} engine")
        if ours and theirs:
            print(
                f"  ours ({engine}) / dzsave: time {ours['seconds'] / theirs['seconds']:.2f}x, "
                f"CPU {ours['cpu'] / theirs['cpu']:.2f}x   (goal <= 1.5x)"
            )
    print(f"\ntile requests ({args.requests} canonical tile URLs, {args.clients} client threads){'':4}{'req/s':>9}")
    for label, rate, count in servers:
        cut_short = f"   ({count} requests in the time limit)" if count < args.requests else ""
        print(f"  {label:<58}{rate:>9.1f}{cut_short}")
    rates = {label.split(" ")[0]: rate for label, rate, _ in servers}
    if "zimeon" in rates:
        print(f"  ours / reference = {rates['ours'] / rates['zimeon']:.0f}x   (goal >= 20x)")
    print(f"  ours / static    = {rates['ours'] / rates['static']:.2f}x   (goal >= 0.5x)")
    if "ours," in rates:
        print(
            f"  the whole app / static = {rates['ours,'] / rates['static']:.2f}x, / reference = "
            f"{rates['ours,'] / rates.get('zimeon', float('nan')):.0f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=10_000)
    parser.add_argument("--height", type=int, default=8_000)
    parser.add_argument("--png-side", type=int, default=12_000, help="also build a square PNG (0: skip)")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--reference-seconds", type=float, default=60, help="time limit for the reference server")
    args = parser.parse_args()
    from iiif import pyramid_vips

    engines = ["vips", "pillow"] if pyramid_vips.available() else ["pillow"]
    work = Path(tempfile.mkdtemp(prefix="iiif-bench-"))
    try:
        print(f"making a {args.width}x{args.height} JPEG" + (f" and a {args.png_side}^2 PNG" if args.png_side else ""))
        jpeg, png = make_sources(work, args.width, args.height, args.png_side)
        builds = measure_builds(jpeg, work / "jpeg", f"{args.width}x{args.height} JPEG", engines)
        if png:
            builds += measure_builds(png, work / "png", f"{args.png_side}x{args.png_side} PNG", engines)
            shutil.rmtree(work / "png")
        print("serving tiles")
        servers = measure_servers(work / "jpeg" / engines[0], jpeg, work, args)
        print_report(builds, servers, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
