"""Worker processes for CPU-bound work (validating an import, building search documents), so it
runs on the machine's other cores instead of waiting for this process's."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def process_pool(workers: int, initializer=None, initargs: tuple = ()) -> ProcessPoolExecutor:
    """A pool of fresh processes: never plain fork, since a thread of ours (a search, a request)
    may hold a lock the child would inherit, locked for good."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs)
