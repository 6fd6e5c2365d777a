"""Is a signed request shaped the way Slack shapes them? Bolt assumes so before any listener runs.

Bolt reads ids out of a payload while building its context and matching
listeners: an `event` that is a string, `actions` that is not a list of
objects, or a string that is not valid Unicode make it fail with a 500. Slack
never sends those; a signed one is acknowledged (200) and ignored instead.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

OBJECTS = ("event", "user", "team", "channel", "container", "message", "view", "enterprise", "state")
STRINGS = (
    "type",
    "event_id",
    "team_id",
    "enterprise_id",
    "api_app_id",
    "callback_id",
    "trigger_id",
    "response_url",
)
LISTS_OF_OBJECTS = ("actions", "authorizations")


def usable(raw: bytes, content_type: str) -> bool:
    try:
        text = raw.decode("utf-8")
        if "json" in content_type:
            data = json.loads(text or "{}")
        else:
            form = parse_qs(text, keep_blank_values=True)
            if "payload" not in form:
                return True  # a slash command: every field is a string
            data = json.loads(form["payload"][0])
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # a lone surrogate ("\ud800") fails here
    except (ValueError, UnicodeError, RecursionError):
        return False
    return isinstance(data, dict) and _shaped(data)


def _shaped(data: dict[str, Any]) -> bool:
    if data.get("type") == "event_callback" and not isinstance(data.get("event"), dict):
        return False
    if any(data.get(k) is not None and not isinstance(data[k], dict) for k in OBJECTS):
        return False
    if any(data.get(k) is not None and not isinstance(data[k], str) for k in STRINGS):
        return False
    for key in LISTS_OF_OBJECTS:
        items = data.get(key)
        if items is not None and not (isinstance(items, list) and all(isinstance(i, dict) for i in items)):
            return False
    if any(not isinstance(a.get("action_id"), str) for a in data.get("actions") or []):
        return False
    event = data.get("event")
    return not isinstance(event, dict) or isinstance(event.get("type"), str)
