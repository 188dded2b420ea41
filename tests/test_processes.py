"""Batch work (imports, index builds) runs in fresh processes, and collects garbage as batch work
should: rarely, because reference counting frees what a batch drops, but still collecting cycles."""

import gc
import threading
import weakref

import pytest

from catalogue.ingest.importer import Importer
from catalogue.processes import BATCH_COLLECTION_THRESHOLD, batch_work, process_pool
from indexer.worker import Indexer


@pytest.fixture
def restored_thresholds():
    thresholds = gc.get_threshold()
    yield thresholds
    gc.set_threshold(*thresholds)


class Node:
    """An object that can sit in a reference cycle and be watched through a weak reference."""

    def __init__(self):
        self.other = self


def collects_a_cycle_after(allocations: int) -> bool:
    """Whether a cycle dropped now is collected once ``allocations`` more objects are kept alive."""
    gc.collect()
    watched = weakref.ref(Node())  # the node is unreachable at once, held only by its own cycle
    kept = [[] for _ in range(allocations)]
    collected = watched() is None
    del kept
    return collected


def _worker_state() -> tuple[tuple[int, int, int], bool]:
    return gc.get_threshold(), collects_a_cycle_after(2 * BATCH_COLLECTION_THRESHOLD)


_initialized: list[str] = []


def _remember(word: str) -> None:
    _initialized.append(word)


def _initialized_words() -> list[str]:
    return _initialized


def test_batch_work_collects_the_youngest_generation_rarely_and_keeps_the_others(restored_thresholds):
    _, middle, oldest = restored_thresholds
    with batch_work():
        assert gc.get_threshold() == (BATCH_COLLECTION_THRESHOLD, middle, oldest)
        assert gc.isenabled()
    assert gc.get_threshold() == restored_thresholds


def test_batch_work_still_collects_reference_cycles(restored_thresholds):
    with batch_work():
        assert not collects_a_cycle_after(BATCH_COLLECTION_THRESHOLD // 10)
        assert collects_a_cycle_after(2 * BATCH_COLLECTION_THRESHOLD)


def test_the_collector_is_set_back_when_the_work_fails(restored_thresholds):
    with pytest.raises(RuntimeError), batch_work():
        raise RuntimeError("a failed import")
    assert gc.get_threshold() == restored_thresholds


def test_pool_workers_do_batch_work_and_still_run_the_callers_initializer():
    with process_pool(1, initializer=_remember, initargs=("ready",)) as pool:
        (youngest, _, _), collected = pool.submit(_worker_state).result()
        assert pool.submit(_initialized_words).result() == ["ready"]
    assert youngest == BATCH_COLLECTION_THRESHOLD
    assert collected


@pytest.mark.parametrize(
    "command, work",
    [
        (["index", "--once"], (Indexer, "drain")),
        (["reindex"], (Indexer, "reindex")),
        (["import", "records.jsonl"], (Importer, "import_file")),
    ],
)
def test_the_batch_commands_do_their_work_as_batch_work(command, work, runner, tmp_path, monkeypatch):
    """The real work runs; a wrapper notes the collector's setting while the command does it (not
    while a thread that another test left behind does the same work)."""
    owner, name = work
    real, seen, command_thread = getattr(owner, name), [], threading.current_thread()

    def noting(self, *args, **kwargs):
        if threading.current_thread() is command_thread:
            seen.append(gc.get_threshold()[0])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, noting)
    (tmp_path / "records.jsonl").write_text("")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=command)
    assert result.exit_code == 0, result.output
    assert seen == [BATCH_COLLECTION_THRESHOLD]
    assert gc.get_threshold()[0] != BATCH_COLLECTION_THRESHOLD
