"""scheduler worker: lease, job state, reminder queue columns

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('worker_leases',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('holder', sa.String(length=64), nullable=False),
    sa.Column('hostname', sa.String(length=200), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_leases'))
    )
    op.create_table('worker_jobs',
    sa.Column('job_id', sa.String(length=80), nullable=False),
    sa.Column('next_run_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_started_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_finished_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.String(length=20), nullable=True),
    sa.Column('last_message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_worker_jobs'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('sent_at', db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))
    # reminders recorded before the queue existed were sent by hand at creation time
    op.execute("UPDATE reminders SET sent_at = created_at WHERE status = 'sent'")


def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_column('last_error')
        batch_op.drop_column('attempts')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('subject')
    op.drop_table('worker_jobs')
    op.drop_table('worker_leases')
