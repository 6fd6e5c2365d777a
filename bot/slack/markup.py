"""Slack's message format to plain text, at the Slack edge: the core only ever sees plain text."""

from __future__ import annotations

import html
import re

_SLACK_TOKEN_RE = re.compile(r"<([^<>]*)>")


def plain_text(text: str) -> str:
    """Plain text from Slack's message format: mentions dropped, links to their labels, &amp; undone."""

    def replace(m: re.Match[str]) -> str:
        inner = m.group(1)
        if inner.startswith(("@", "!")):
            return " "
        if inner.startswith("#"):
            return " " + inner.partition("|")[2] + " "
        return " " + (inner.partition("|")[2] or inner) + " "

    return html.unescape(_SLACK_TOKEN_RE.sub(replace, text)).strip()
