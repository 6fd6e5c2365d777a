"""Tables. Nothing here identifies who asked what: no Slack user id, user name or channel id."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# Events already taken by some process, so a re-sent or twice-delivered event is answered once.
# A claim is final once its reply is posted (lease_until NULL). Until then it is leased to one
# process (`owner`, a random id per process, renewed while it lives) and keeps the event,
# encrypted with the server's secret, so that if the process dies another one answers it.
claimed_events = Table(
    "claimed_events",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("claimed_at", DateTime(timezone=True), nullable=False, index=True),
    Column("lease_until", DateTime(timezone=True), index=True),
    Column("owner", String(32), index=True),
    Column("payload", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
)

# Running totals of what went wrong, for `python -m bot stats` (e.g. replies Slack never got).
counters = Table(
    "counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Integer, nullable=False),
)

# One vote per person per answer. `voter` is a keyed hash of (workspace, user, ref):
# it tells two clicks of one person apart from two people without saying who,
# and cannot be reversed, or linked across answers, without the server's secret.
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workspace", String(32), nullable=False),
    Column("voter", String(64), nullable=False),
    Column("ref", String(16), nullable=False, index=True),
    Column("helpful", Boolean, nullable=False),
    Column("voted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("voter", "ref", name="uq_feedback_voter_ref"),
)

# The last answer given in a thread, so a follow-up there is read in its light ("what about WV?").
# `thread` is a keyed hash of (workspace, channel, thread): it says nothing about where without the
# server's secret, and is kept next to a ref only, never a question or a person. Expires after a day.
thread_refs = Table(
    "thread_refs",
    metadata,
    Column("thread", String(64), primary_key=True),
    Column("ref", String(16), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
)

# A channel's own state (`/state default arkansas`), opt-in. `channel` is a keyed hash of
# (workspace, channel), kept next to a state code only, never next to any question.
channel_states = Table(
    "channel_states",
    metadata,
    Column("channel", String(64), primary_key=True),
    Column("state", String(2), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Only with QUERY_LOG=on, and deleted after QUERY_LOG_DAYS.
query_log = Table(
    "query_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("asked_at", DateTime(timezone=True), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("answered", Boolean, nullable=False),
    Column("ref", String(16)),
)

# Each state page's text over time, for citing an answer "as of" the day its current text was
# first served. A changed page gets a new row (the old one stays: the change is on record).
# `replaces` is the id of the state's row before it (0 for the first): unique per state, so two
# processes starting at once cannot both record the same change.
pages = Table(
    "pages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(8), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("first_seen", Date, nullable=False),
    Column("replaces", Integer, nullable=False),
    UniqueConstraint("state", "replaces", name="uq_pages_state_replaces"),
)

# Channels the bot has introduced itself in, once each: a keyed hash of (workspace, channel),
# never the channel id itself.
channel_intros = Table(
    "channel_intros",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("introduced_at", DateTime(timezone=True), nullable=False),
)

# Slack's own tables for the OAuth install flow (several workspaces), from slack_sdk.
slack_bots = SQLAlchemyInstallationStore.build_bots_table(metadata=metadata, table_name="slack_bots")
slack_installations = SQLAlchemyInstallationStore.build_installations_table(
    metadata=metadata, table_name="slack_installations"
)
slack_oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    metadata=metadata, table_name="slack_oauth_states"
)
