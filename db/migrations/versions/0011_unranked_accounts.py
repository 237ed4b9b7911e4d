"""month_scores.rank may be NULL: accounts that cannot be read, or have no data, are not ranked

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('month_scores') as batch:
        batch.alter_column('rank', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute('UPDATE month_scores SET rank = 0 WHERE rank IS NULL')
    with op.batch_alter_table('month_scores') as batch:
        batch.alter_column('rank', existing_type=sa.Integer(), nullable=False)
