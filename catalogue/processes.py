"""Batch work: worker processes for CPU-bound work (validating an import, building search
documents), so it runs on the machine's other cores instead of waiting for this process's, and the
garbage collector's setting for batch work, in those processes and around a command's work."""

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

# Allocations (net of frees) between two collections of the youngest generation, in batch work.
# The default, 700, suits a server. A batch holds its chunk (hundreds of records and documents)
# through many such collections: the chunk is promoted to the oldest generation, and full
# collections, each walking every long-lived object (caches included), follow every dozen chunks
# or so, only to find objects that reference counting frees anyway. Building 100,000 search
# documents in one process spent 16 % of its time there (14 full collections of about 0.2 s), an
# import of 5,000 rows 18 %. Cycles are still collected, after 50,000 allocations instead.
BATCH_COLLECTION_THRESHOLD = 50_000


@contextmanager
def batch_work():
    """The cyclic garbage collector set for batch work (see BATCH_COLLECTION_THRESHOLD) while the
    block runs: the body of a command (import, reindex), or a benchmark timing one. The setting is
    the process's, so the block is the process's main work, not one thread's among others."""
    thresholds = gc.get_threshold()
    _collect_for_batch_work()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _collect_for_batch_work() -> None:
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(BATCH_COLLECTION_THRESHOLD, middle, oldest)


def process_pool(workers: int, initializer=None, initargs: tuple = ()) -> ProcessPoolExecutor:
    """A pool of fresh processes for batch work: never plain fork, since a thread of ours (a
    search, a request) may hold a lock the child would inherit, locked for good."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(initializer, initargs))


def _start_worker(initializer, initargs: tuple) -> None:
    """A pool's process does batch work all its life."""
    _collect_for_batch_work()
    if initializer is not None:
        initializer(*initargs)
