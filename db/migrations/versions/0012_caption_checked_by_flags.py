"""A caption is checked once its flags are stored (a caption without text keeps a NULL score):
posts still waiting for a check under the old rule (NULL score) get NULL flags, so they are
checked once more and never again.

Revision ID: 0012
Revises: 0011
"""
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        'UPDATE posts SET caption_flags = NULL '
        'WHERE caption_score IS NULL AND caption IS NOT NULL'
    )


def downgrade() -> None:
    pass  # the old rule reads the score only; NULL flags are re-stored by the next check
