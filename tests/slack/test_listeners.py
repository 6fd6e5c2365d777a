"""Every named action, command, event, shortcut and view reaches its own listener, not a catch-all."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from slack_bolt import BoltResponse
from slack_bolt.request import BoltRequest

from bot.slack.listeners import catch_alls

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "slack-app-manifest.yml").read_text())
TEMPLATES = "\n".join(p.read_text() for p in (ROOT / "templates").glob("*.j2"))


def named_requests() -> list[tuple[str, dict]]:
    """(what, request body) for everything the manifest and the templates name."""
    out = []
    numbered = {f"{name}1" for name in re.findall(r'"action_id": \{\{ \("(\w+)" ~ loop.index\)', TEMPLATES)}
    for action_id in sorted(set(re.findall(r'"action_id": "(\w+)"', TEMPLATES)) | numbered):
        payload = {"type": "block_actions", "actions": [{"action_id": action_id, "block_id": "b"}]}
        out.append((f"action {action_id}", {"payload": json.dumps(payload)}))
    for callback_id in sorted(set(re.findall(r'"callback_id": "(\w+)"', TEMPLATES))):
        payload = {"type": "view_submission", "view": {"callback_id": callback_id}}
        out.append((f"view {callback_id}", {"payload": json.dumps(payload)}))
    features = MANIFEST["features"]
    for command in features.get("slash_commands", []):
        out.append((f"command {command['command']}", {"command": command["command"], "text": ""}))
    for shortcut in features.get("shortcuts", []):
        kind = "message_action" if shortcut["type"] == "message" else "shortcut"
        payload = {"type": kind, "callback_id": shortcut["callback_id"]}
        out.append((f"shortcut {shortcut['callback_id']}", {"payload": json.dumps(payload)}))
    for name in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        event = {"type": name.split(".")[0], "channel_type": "im"}
        out.append((f"event {name}", {"json": {"type": "event_callback", "event": event}}))
    return out


def first_listener(app, body: dict):
    if "json" in body:
        request = BoltRequest(body=json.dumps(body["json"]), headers={"content-type": "application/json"})
    else:
        request = BoltRequest(
            body=urlencode(body), headers={"content-type": "application/x-www-form-urlencoded"}
        )
    response = BoltResponse(status=404)
    return next(listener for listener in app._listeners if listener.matches(req=request, resp=response))


@pytest.mark.parametrize(("what", "body"), named_requests(), ids=[w for w, _ in named_requests()])
def test_nothing_named_is_shadowed_by_a_catch_all(module_chat, what, body):
    listener = first_listener(module_chat.app, body)
    assert listener.ack_function.__module__ != catch_alls.__name__, f"{what} reaches a catch-all"


def test_the_catch_alls_come_last(module_chat):
    modules = [listener.ack_function.__module__ for listener in module_chat.app._listeners]
    first_catch_all = modules.index(catch_alls.__name__)
    assert set(modules[first_catch_all:]) == {catch_alls.__name__}


def test_every_button_the_bot_posts_is_named_here():
    named = [w for w, _ in named_requests()]
    assert {
        "more_answers",
        "other_states",
        "read_rest",
        "share",
        "feedback_helpful",
        "show_answer",
        "show_answer_1",
        "cite",
        "ask_example",
    } <= {w.split()[1] for w in named if w.startswith("action")}
    assert "shortcut lookup_message" in named
    assert {"event app_home_opened", "event member_joined_channel", "event app_uninstalled"} <= set(named)
