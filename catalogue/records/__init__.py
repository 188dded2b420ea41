"""Object records: the marshmallow schema (schema.py) that validates and normalises what curators
send, with its parts: dates, dimensions and language maps."""
