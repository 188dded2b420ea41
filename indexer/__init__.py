"""Search indexing: the search schema, backends (Elasticsearch, embedded SQLite FTS5) and the outbox worker."""
