"""Bulk upload reports of CSV files number their rows as a spreadsheet does: the header is row 1.

Reports kept before counted the data rows from 1 (the header was row 0), so every number is moved
up by one: each line's row, the row a duplicate local id was "first seen in", and "last_row", where
a stopped import goes on (so a resumed one neither skips nor repeats a row). JSON Lines reports
already gave the file's lines and LIDO reports its records; they stay as they are. Downgrading
moves the numbers back.

Revision ID: 0008
Revises: 0007
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

REPORTS = ("dry_run_report", "report")
FIRST_SEEN = re.compile(r"(first seen in row )(\d+)")


def upgrade() -> None:
    _renumber(+1)


def downgrade() -> None:
    _renumber(-1)


def _renumber(by: int) -> None:
    imports = sa.table(
        "imports",
        sa.column("id", sa.Integer),
        sa.column("format", sa.String),
        *(sa.column(name, sa.JSON) for name in REPORTS),
    )
    conn = op.get_bind()
    kept = conn.execute(sa.select(imports).where(imports.c.format == "csv")).mappings().all()
    for upload in kept:
        values = {name: _moved(upload[name], by) for name in REPORTS if upload[name]}
        if values:
            conn.execute(sa.update(imports).where(imports.c.id == upload["id"]).values(**values))


def _moved(report: dict, by: int) -> dict:
    lines = [
        {
            **line,
            "row": line["row"] + by if isinstance(line.get("row"), int) else line.get("row"),
            "message": FIRST_SEEN.sub(lambda m: f"{m[1]}{int(m[2]) + by}", line["message"])
            if isinstance(line.get("message"), str)
            else line.get("message"),
        }
        for line in report.get("lines", [])
    ]
    moved = {**report, "lines": lines}
    if isinstance(report.get("last_row"), int) and report["last_row"] > 0:
        moved["last_row"] = report["last_row"] + by
    return moved
