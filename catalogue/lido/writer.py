"""(being written) A record as a LIDO 1.1 record."""


def lido_document(record, museum, base_url: str) -> bytes:
    raise NotImplementedError
