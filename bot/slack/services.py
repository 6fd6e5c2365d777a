"""What listeners need besides the request, handed to each one through Bolt's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import BoltContext

from bot.answerer import Answerer
from bot.db.store import Store


@dataclass
class Services:
    answerer: Answerer
    store: Store

    def provide(self, context: BoltContext, next: Callable[[], None]) -> None:
        """Middleware: puts these services in every request's context, for the listeners."""
        context["services"] = self
        next()


def services_of(context: BoltContext) -> Services:
    return context["services"]
