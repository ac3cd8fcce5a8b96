"""import formats as fields: an import's layout and file formats, not one string

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 17:20:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_batch = sa.table(
    "import_batch",
    sa.column("id", sa.Integer),
    sa.column("file_format", sa.String),
    sa.column("layout", sa.String),
    sa.column("formats", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("layout", sa.String(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("formats", sa.JSON(), nullable=False, server_default="[]"))
    conn = op.get_bind()
    # "kumu-csv+xlsx" → layout "kumu", formats ["csv", "xlsx"] (the one place it is split).
    for row_id, text in conn.execute(sa.select(_batch.c.id, _batch.c.file_format)).all():
        layout, _sep, kinds = (text or "").partition("-")
        formats = [k for k in kinds.split("+") if k]
        conn.execute(
            _batch.update().where(_batch.c.id == row_id).values(layout=layout, formats=formats)
        )
    with op.batch_alter_table("import_batch") as batch:
        batch.drop_column("file_format")


def downgrade() -> None:
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(
            sa.Column("file_format", sa.String(length=40), nullable=False, server_default="")
        )
    conn = op.get_bind()
    for row_id, layout, formats in conn.execute(
        sa.select(_batch.c.id, _batch.c.layout, _batch.c.formats)
    ).all():
        kinds = formats if isinstance(formats, list) else json.loads(formats or "[]")
        conn.execute(
            _batch.update()
            .where(_batch.c.id == row_id)
            .values(file_format=f"{layout}-{'+'.join(kinds)}")
        )
    with op.batch_alter_table("import_batch") as batch:
        batch.drop_column("layout")
        batch.drop_column("formats")
