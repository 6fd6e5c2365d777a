"""What listeners need besides the request, handed to each one through Bolt's context."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from slack_bolt import BoltContext
from slack_sdk.oauth.installation_store import InstallationStore
from sqlalchemy.exc import SQLAlchemyError

from bot.answerer import Answerer
from bot.corpus import page_digests
from bot.db.store import Store

log = logging.getLogger("bot.slack")


@dataclass
class Services:
    answerer: Answerer
    store: Store
    # Each page's as-of date (state code -> the day its current text was first served).
    as_of: dict[str, date] = field(default_factory=dict)
    # Where OAuth installations are kept (several workspaces); None with a single bot token.
    installations: InstallationStore | None = None

    def provide(self, context: BoltContext, next: Callable[[], None]) -> None:
        """Middleware: puts these services in every request's context, for the listeners."""
        context["services"] = self
        next()


def start_services(answerer: Answerer, store: Store) -> Services:
    """Services for a server about to serve: each page's text recorded, so each has its as-of date.

    A database that cannot be written just now leaves the dates unknown ("not recorded") rather
    than stopping the bot: answering needs no database.
    """
    try:
        as_of = store.record_pages(page_digests(answerer.records))
    except SQLAlchemyError as err:
        log.warning("page dates not recorded: %s", type(err).__name__)
        as_of = {}
    return Services(answerer, store, as_of=as_of)


def services_of(context: BoltContext) -> Services:
    return context["services"]
