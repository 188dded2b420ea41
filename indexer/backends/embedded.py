"""Embedded backend: SQLite FTS5 (BM25) for text, in-memory columns (`columns.py`) for filters, facet
counts and sorting; for one machine and no services.

The index lives in its own SQLite file in the search folder; a small CURRENT file names the live
one. A rebuild fills a new file and then replaces CURRENT atomically, so searches keep reading the
old file until the swap and never wait for the rebuild.
"""

import fcntl
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import closing, contextmanager
from functools import partial
from pathlib import Path

import numpy as np

from indexer import expansion, queries, schema
from indexer.backends import BackendUnavailable, BulkResult
from indexer.backends.columns import Columns, TextMatches, latest_change, rows_in
from indexer.backends.postings import MatchCache
from indexer.expansion import TextQuery, WordQuery
from indexer.request import Hit, SearchRequest, SearchResult, decode_cursor, encode_cursor
from indexer.schema import FACET_NAMES
from indexer.typos import IndexTerms, TermsCache

SCHEMA_VERSION = 9  # PRAGMA user_version; bump when the file layout or the documents change (a rebuild follows)
SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, revision INTEGER NOT NULL,
    museum TEXT NOT NULL, date_begin INTEGER, date_end INTEGER, title_sort TEXT NOT NULL,
    masterpiece INTEGER NOT NULL, display TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS facets (doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_facets_doc ON facets (doc);
CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc INTEGER NOT NULL,
                                    added INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tombstones (id TEXT PRIMARY KEY, revision INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, title_text, stems, concepts, roman, tokenize = 'ascii');
CREATE VIRTUAL TABLE IF NOT EXISTS vocabulary USING fts5vocab(fts, 'col');
CREATE TABLE IF NOT EXISTS built (documents TEXT NOT NULL);
"""
CHANGES_KEPT = 200_000  # rows of the change log kept; a process further behind loads the file anew
FULL_BM25 = 5_000  # exact matches beyond which BM25 ranks them by their titles only
TERMS_KEPT_SECONDS = 30.0  # the word list for typo tolerance is checked for changes this often


def _built_from(conn: sqlite3.Connection) -> str | None:
    """The data files' digest a file's documents were built with (`schema.documents_digest`); None
    for a file of a release that did not record it."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'built'").fetchone():
        return None
    row = conn.execute("SELECT documents FROM built").fetchone()
    return row[0] if row else None


def _use_wal(conn: sqlite3.Connection, attempts: int = 50) -> None:
    """Write-ahead logging, set once per file. Switching the mode takes a lock that SQLite does not
    wait for (its busy timeout does not apply), so a server starting while another process builds
    the file retries briefly instead of failing with "database is locked"."""
    for attempt in range(attempts):
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1)


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.pointer = self.directory / "CURRENT"
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._columns_lock = threading.Lock()
        self._columns: tuple[Path, Columns] | None = None
        self._terms = TermsCache(TERMS_KEPT_SECONDS)
        self._matches = MatchCache()

    # files and connections -------------------------------------------------------------
    def _current(self) -> Path:
        try:
            return self.directory / self.pointer.read_text().strip()
        except FileNotFoundError:
            with self._write_lock:
                if not self.pointer.exists():
                    path = self._new_file()
                    self._connect(path).close()
                    self._point_to(path)
            return self.directory / self.pointer.read_text().strip()

    def _new_file(self) -> Path:
        return self.directory / f"search-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}.sqlite3"

    def _point_to(self, path: Path) -> None:
        temp = self.pointer.with_suffix(".tmp")
        temp.write_text(path.name)
        os.replace(temp, self.pointer)

    def _connect(self, path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        _use_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA cache_size=-65536")  # 64 MB of pages per connection
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        made_before = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'docs'").fetchone()
        if made_before and (version != SCHEMA_VERSION or _built_from(conn) != schema.DOCUMENTS_DIGEST):
            conn.close()
            raise BackendUnavailable(
                f"The search index {path.name} was made by an older version of the "
                "catalogue; rebuild it with `catalogue reindex`."
            )
        if not made_before:  # one transaction: no other connection sees the tables without their digest
            digest = schema.DOCUMENTS_DIGEST.replace("'", "''")  # a script takes no parameters: quoted
            built = f"INSERT INTO built VALUES ('{digest}');"
            conn.executescript(f"BEGIN; {SCHEMA} {built} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        return conn

    def _reader(self, path: Path | None = None) -> sqlite3.Connection:
        """One connection per thread and file; a rebuild's swap makes the next search open the new file."""
        path = path or self._current()
        cached = getattr(self._local, "conn", None)
        if cached is None or cached[0] != path:
            if cached is not None:
                cached[1].close()
            self._local.conn = (path, self._connect(path))
        return self._local.conn[1]

    # writing ---------------------------------------------------------------------------
    def bulk(self, documents: list[dict]) -> BulkResult:
        result = BulkResult()
        with self._write_lock, self._writing() as conn:
            for doc in documents:
                if self._newer_exists(conn, doc["id"], doc["revision"]):
                    result.stale += 1
                    continue
                self._remove(conn, doc["id"])
                conn.execute("DELETE FROM tombstones WHERE id = ?", (doc["id"],))
                _insert(conn, doc)
                result.done += 1
        return result

    def delete(self, items: list[tuple[str, int]]) -> BulkResult:
        result = BulkResult()
        with self._write_lock, self._writing() as conn:
            for doc_id, revision in items:
                if self._newer_exists(conn, doc_id, revision):
                    result.stale += 1
                    continue
                self._remove(conn, doc_id)
                conn.execute("INSERT OR REPLACE INTO tombstones (id, revision) VALUES (?, ?)", (doc_id, revision))
                result.done += 1
        return result

    @contextmanager
    def _writing(self):
        """One write transaction on the live file; BEGIN IMMEDIATE so writers queue instead of failing."""
        conn = self._connect(self._current())
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("DELETE FROM changes WHERE seq <= (SELECT MAX(seq) FROM changes) - ?", (CHANGES_KEPT,))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    @staticmethod
    def _newer_exists(conn: sqlite3.Connection, doc_id: str, revision: int) -> bool:
        row = conn.execute(
            "SELECT revision FROM docs WHERE id = ? UNION ALL SELECT revision FROM tombstones WHERE id = ?",
            (doc_id, doc_id),
        ).fetchall()
        return any(stored > revision for (stored,) in row)

    @staticmethod
    def _remove(conn: sqlite3.Connection, doc_id: str) -> None:
        row = conn.execute("SELECT rowid FROM docs WHERE id = ?", (doc_id,)).fetchone()
        if row:
            conn.execute("DELETE FROM facets WHERE doc = ?", row)
            conn.execute("DELETE FROM fts WHERE rowid = ?", row)
            conn.execute("DELETE FROM docs WHERE rowid = ?", row)
            conn.execute("INSERT INTO changes (doc, added) VALUES (?, 0)", row)

    @staticmethod
    def encode(document: dict) -> dict:
        """Documents go to a rebuild as they are (the Elasticsearch backend serialises them early)."""
        return document

    def rebuild(self, documents: Iterable[dict]) -> int:
        """Fill a new file, then swap CURRENT to it; readers never wait. On failure the new file goes."""
        path = self._new_file()
        count = 0
        try:
            conn = self._connect(path)
            conn.execute("BEGIN")
            for doc in documents:
                _insert(conn, doc, log_change=False)  # a new file: readers load it whole
                count += 1
            conn.execute("COMMIT")
            conn.close()
            with self._write_lock:
                old = self._current()
                self._point_to(path)
        except BaseException:
            _remove_file(path)
            raise
        _remove_file(old)
        return count

    # reading ---------------------------------------------------------------------------
    def search(self, request: SearchRequest, text: TextQuery | None = None) -> SearchResult:
        """Text matches from FTS5, everything else from the in-memory columns, the page's displays
        from SQLite: all in one read transaction, so they see the same commit. ``text``: the
        request's words as `expansion.text_query` expanded them (made here if not given)."""
        cursor = decode_cursor(request.cursor, self.name, request.sort) if request.cursor else None
        try:
            path = self._current()  # once: the columns must come from the file the connection reads
            conn = self._reader(path)
            words = text or expansion.text_query(request, self._index_terms(path) if request.text else None)
            negative = queries.fts_exclusions(words)
            conn.execute("BEGIN")
            try:
                columns = self._columns_for(path, conn)
                lists = MatchLists(conn, self._matches, path, latest_change(conn))  # this snapshot's change
                matches = None
                if words.positive:
                    matches = _text_matches(lists, words, scored=request.sort == "relevance")
                excluded = lists.rowids(negative) if negative and not words.positive else None
                found = columns.search(request, matches, excluded, cursor)
                rowids = [int(columns.rowids[slot]) for slot in found.slots]
                displays = dict(rows_in(conn, "SELECT rowid, display FROM docs WHERE rowid IN ({})", rowids))
            finally:
                conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            raise BackendUnavailable(f"Embedded search index: {error}") from error
        hits = [
            Hit(id=columns.ids[slot], score=-score, display=json.loads(displays[rowid]))
            for slot, score, rowid in zip(found.slots, found.scores, rowids)
            if rowid in displays
        ]
        next_cursor = None
        more = cursor or request.offset + request.size < found.total
        if hits and found.last_key is not None and len(found.slots) == request.size and more:
            next_cursor = encode_cursor(self.name, request.sort, found.last_key)
        return SearchResult(
            total=found.total, hits=hits, facets=found.facets, centuries=found.centuries, next_cursor=next_cursor
        )

    def _columns_for(self, path: Path, conn: sqlite3.Connection) -> Columns:
        """This process's columns for the file `conn` reads, brought up to the reader's snapshot."""
        with self._columns_lock:
            cached = self._columns
            columns = cached[1].refreshed(conn) if cached and cached[0] == path else Columns.load(conn)
            self._columns = (path, columns)
        return columns

    def index_terms(self) -> IndexTerms:
        """The words of the index's text (for typo tolerance and "did you mean")."""
        return self._index_terms(self._current())

    def _index_terms(self, path: Path) -> IndexTerms:
        """The FTS5 vocabulary's words of the text column, as TermsCache keeps them (checked and
        read again on connections of their own, the file's change counter as version)."""

        def version() -> int:
            with closing(self._connect(path)) as reader:
                return latest_change(reader)

        def read() -> IndexTerms:
            with closing(self._connect(path)) as reader:
                return IndexTerms.of(reader.execute("SELECT term, doc FROM vocabulary WHERE col = 'text'"))

        return self._terms.get(path, version, read)

    def outdated(self) -> bool:
        """The live file was written by an older release (another PRAGMA user_version)."""
        try:
            self._connect(self._current()).close()
        except BackendUnavailable:
            return True
        return False

    @contextmanager
    def exclusive(self):
        """A lock file in the search folder, held by one process at a time."""
        with open(self.directory / "rebuild.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def count(self) -> int:
        return self._reader().execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    def health(self) -> dict:
        try:
            return {"backend": self.name, "status": "green", "documents": self.count(), "file": self._current().name}
        except sqlite3.Error as error:
            return {"backend": self.name, "status": "unavailable", "error": str(error)}

    def refresh(self) -> None:
        """Writes are visible at commit; only the word list is read again at the next search."""
        self._terms.clear()

    def drop(self) -> None:
        """An empty index: a rebuild with no documents."""
        self.rebuild([])


def _insert(conn: sqlite3.Connection, doc: dict, log_change: bool = True) -> None:
    cursor = conn.execute(
        "INSERT INTO docs (id, revision, museum, date_begin, date_end, title_sort, masterpiece, display) "
        "VALUES (?,?,?,?,?,?,?,?)",
        (
            doc["id"],
            doc["revision"],
            doc["museum"],
            doc["date_begin"],
            doc["date_end"],
            doc["title_sort"],
            int(doc["masterpiece"] == "true"),
            json.dumps(doc["display"], ensure_ascii=False),
        ),
    )
    rowid = cursor.lastrowid
    conn.execute(
        "INSERT INTO fts (rowid, text, title_text, stems, concepts, roman) VALUES (?, ?, ?, ?, ?, ?)",
        (rowid, doc["text"], doc["title_text"], doc["stems"], doc["concepts"], doc["roman"]),
    )
    rows: list[tuple] = []
    for name in FACET_NAMES:
        values = doc[name] if isinstance(doc[name], list) else [doc[name]]
        rows.extend((rowid, name, value) for value in values)
    conn.executemany("INSERT INTO facets (doc, facet, value) VALUES (?, ?, ?)", rows)
    if log_change:
        conn.execute("INSERT INTO changes (doc, added) VALUES (?, 1)", (rowid,))


class MatchLists:
    """FTS5's matches as numpy arrays, for one search: read on its connection, or taken from the
    backend's cache when this file at this change was asked the same before."""

    def __init__(self, conn: sqlite3.Connection, cache: MatchCache, path: Path, seq: int):
        self.conn, self.cache, self.path, self.seq = conn, cache, path, seq
        self._changes: dict[int, tuple[np.ndarray, int | None] | None] = {}

    def rowids(self, match: str) -> np.ndarray:
        """The rowids of the documents matching an FTS5 expression, ascending."""
        read = partial(_rowids, self.conn, match)
        return self.cache.get(
            self.path, self.seq, match, lambda: (read(),), self.carrier(lambda since: (read(since),))
        )[0]

    def carrier(self, read_since: Callable[[int], tuple[np.ndarray, ...]]):
        """How the cache brings arrays by rowid (rowids first, ascending) from an older change to
        this one: without the documents removed since, with those added since, which `read_since`
        reads from their first rowid on (rowids only grow, so every added one is past the others)."""

        def carry(arrays: tuple[np.ndarray, ...], older: int) -> tuple[np.ndarray, ...] | None:
            changes = self.changes_since(older)
            if changes is None:
                return None
            removed, first_added = changes
            if len(removed):
                keep = ~np.isin(arrays[0], removed)
                arrays = tuple(array[keep] for array in arrays)
            if first_added is None:
                return arrays
            return tuple(np.concatenate(pair) for pair in zip(arrays, read_since(first_added)))

        return carry

    def changes_since(self, older: int) -> tuple[np.ndarray, int | None] | None:
        """(rowids removed, the first rowid added) by the commits after change `older` up to this
        search's, or None when the change log no longer reaches back that far."""
        if older not in self._changes:
            oldest = self.conn.execute("SELECT MIN(seq) FROM changes").fetchone()[0]
            if oldest is None or oldest > older + 1:
                self._changes[older] = None
            else:
                rows = self.conn.execute(
                    "SELECT doc, added FROM changes WHERE seq > ? AND seq <= ?", (older, self.seq)
                ).fetchall()
                removed = np.asarray(sorted(doc for doc, added in rows if not added), np.int64)
                self._changes[older] = removed, min((doc for doc, added in rows if added), default=None)
        return self._changes[older]

    def bm25(self, match: str) -> tuple[np.ndarray, np.ndarray]:
        """(rowids, BM25 on text and the boosted title) of the documents matching `match`."""

        def read() -> tuple[np.ndarray, np.ndarray]:
            rows = self.conn.execute(
                "SELECT rowid, bm25(fts, 1.0, ?, 0.0, 0.0, 0.0) FROM fts WHERE fts MATCH ?",
                (queries.TITLE_BOOST, match),
            ).fetchall()
            rows.sort()  # by rowid, as the match lists (FTS5 gives them so already)
            return np.fromiter((r[0] for r in rows), np.int64, len(rows)), np.fromiter(
                (r[1] for r in rows), np.float64, len(rows)
            )

        found = self.cache.get(self.path, self.seq, f"bm25 {match}", read)
        return found[0], found[1]


def _text_matches(lists: MatchLists, text: TextQuery, scored: bool) -> TextMatches:
    """Documents where every word matches one of its alternatives, scored by the best weight per
    word summed (lower is better, as FTS5's bm25), BM25 on the exact words breaking ties."""
    rowids, weights = _best_per_document(lists, text.words[0])
    for word in text.words[1:]:
        more_rowids, more_weights = _best_per_document(lists, word)
        mine, theirs = _common(rowids, more_rowids)
        rowids, weights = rowids[mine], weights[mine] + more_weights[theirs]
    negative = queries.fts_exclusions(text)
    if negative and len(rowids):
        keep = ~np.isin(rowids, lists.rowids(negative))
        rowids, weights = rowids[keep], weights[keep]
    if not scored:
        return TextMatches(rowids)
    scores = -weights
    exact = int(np.count_nonzero(weights == expansion.EXACT * len(text.words)))
    # BM25 costs 2 ms per 1,000 documents: past FULL_BM25 exact matches only titles are scored
    tie_break = queries.fts_tie_break(text, "{text title_text}" if exact <= FULL_BM25 else "title_text")
    if exact and tie_break:
        bm25_ids, bm25 = lists.bm25(tie_break)
        mine, theirs = _common(rowids, bm25_ids)
        scores[mine] += queries.TIE_BREAK * bm25[theirs]
    return TextMatches(rowids, scores)


def _common(ours: np.ndarray, theirs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions in ours, positions in theirs) of the rowids both hold (both ascending, unique):
    a binary search of the shorter in the longer, not a sort of both as `np.intersect1d`."""
    if len(theirs) > len(ours):
        found_theirs, found_ours = _common(theirs, ours)
        return found_ours, found_theirs
    positions = np.searchsorted(ours, theirs)
    inside = np.flatnonzero(positions < len(ours))
    inside = inside[ours[positions[inside]] == theirs[inside]]
    return positions[inside], inside


def _best_per_document(lists: MatchLists, word: WordQuery) -> tuple[np.ndarray, np.ndarray]:
    """(rowids ascending, the best weight of the word's alternatives in each), kept with the match
    lists: merging a common word's tiers is itself a few milliseconds per 100,000 matches."""
    asked = "word " + " | ".join(f"{a.weight} {queries.fts_expression(a)}" for a in word.alternatives)
    new_ones = lists.carrier(lambda since: _merged_tiers(partial(_rowids, lists.conn, since=since), word))
    found = lists.cache.get(lists.path, lists.seq, asked, lambda: _merged_tiers(lists.rowids, word), new_ones)
    return found[0], found[1]


def _merged_tiers(rowids_of: Callable[[str], np.ndarray], word: WordQuery) -> tuple[np.ndarray, np.ndarray]:
    """Each alternative is read once, on its own, and numpy keeps each document's best: asking
    FTS5 for "stems NOT exact" read the exact word's long list again for every lower tier."""
    found = []
    for alternative in sorted(word.alternatives, key=lambda a: -a.weight):
        rowids = rowids_of(queries.fts_expression(alternative))
        if len(rowids):
            found.append((rowids, np.full(len(rowids), alternative.weight)))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0)
    if len(found) == 1:
        return found[0]
    rowids = np.concatenate([ids for ids, _ in found])
    weights = np.concatenate([w for _, w in found])
    order = np.argsort(rowids, kind="stable")  # equal rowids keep the better alternative first
    rowids, weights = rowids[order], weights[order]
    first = np.ones(len(rowids), bool)
    first[1:] = rowids[1:] != rowids[:-1]
    return rowids[first], weights[first]


def _rowids(conn: sqlite3.Connection, match: str, since: int = 0) -> np.ndarray:
    """The rowids (from `since` on) of the documents matching an FTS5 expression, ascending. One
    string from SQLite, parsed by numpy: five times faster than a Python row per document (33,000
    rows: 5 ms, not 24). The rowid bound only when there is one: it costs a whole list 5 %."""
    if since:
        found = conn.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ? AND rowid >= ?", (match, since))
    else:
        found = conn.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (match,))
    joined = found.fetchone()[0]
    return np.fromstring(joined, dtype=np.int64, sep=",") if joined else np.zeros(0, np.int64)


def _remove_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
