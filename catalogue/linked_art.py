"""(being written) A record as Linked Art JSON-LD, and as schema.org for search engines."""


def linked_art(record, museum, base_url: str) -> dict:
    raise NotImplementedError
