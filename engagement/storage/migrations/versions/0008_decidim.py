"""decidim: links of rows imported from Decidim, program time zone, unknown headcount

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decidim_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("resource", sa.String(length=20), nullable=False),
        sa.Column("decidim_id", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("imported", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_decidim_link_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decidim_link")),
        sa.UniqueConstraint(
            "program_id",
            "host",
            "resource",
            "decidim_id",
            name=op.f("uq_decidim_link_program_id"),
        ),
    )
    with op.batch_alter_table("decidim_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decidim_link_program_id"), ["program_id"])
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "time_zone",
                sa.String(length=64),
                nullable=False,
                server_default="America/Guatemala",
            )
        )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.alter_column("headcount", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE activity SET headcount = 0 WHERE headcount IS NULL")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.alter_column("headcount", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
    with op.batch_alter_table("decidim_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decidim_link_program_id"))
    op.drop_table("decidim_link")
