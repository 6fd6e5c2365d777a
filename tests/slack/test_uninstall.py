"""Uninstalls: app_uninstalled and tokens_revoked delete that workspace's stored installation, and only it."""

from __future__ import annotations

import json

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.db.database import open_database
from bot.db.store import Store
from bot.slack.oauth import BOT_SCOPES
from bot.slack.services import Services
from tests.support.chat import Chat, make_app
from tests.support.signed import BOT_TOKEN, SIGNING_SECRET, event_envelope, mention, new_ts
from tests.support.standin import BOT_ID, BOT_USER_ID, TEAM_ID

SECOND = "T000SECOND"
SECOND_TOKEN = "xoxb-second-workspace-0002"


@pytest.fixture
def workspaces(standin, answerer, tmp_path):
    """The app in OAuth mode, installed in two workspaces."""
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    services = Services(answerer, Store(database, SIGNING_SECRET.encode()))
    app = make_app(
        standin,
        services,
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="client-secret",
        SLACK_STATE_SECRET="state-secret-abc",
    )
    for team, token in [(TEAM_ID, BOT_TOKEN), (SECOND, SECOND_TOKEN)]:
        services.installations.save(
            Installation(
                app_id="A0000APP1",
                team_id=team,
                bot_token=token,
                bot_id=BOT_ID,
                bot_user_id=BOT_USER_ID,
                bot_scopes=BOT_SCOPES,
                user_id="U0INSTALLER",
            )
        )
    standin.reset()
    yield Chat(app, standin), services.installations
    database.dispose()


def send_in(chat: Chat, team: str, event: dict):
    envelope = event_envelope(event)
    envelope["team_id"] = team
    envelope["authorizations"] = [{"team_id": team, "user_id": BOT_USER_ID, "is_bot": True}]
    return chat.send(json.dumps(envelope), "application/json")


def uninstalled() -> dict:
    return {"type": "app_uninstalled", "event_ts": new_ts()}


def revoked(**tokens: list[str]) -> dict:
    return {"type": "tokens_revoked", "tokens": tokens, "event_ts": new_ts()}


def test_app_uninstalled_deletes_that_workspaces_installation_and_the_other_is_still_served(workspaces):
    chat, installations = workspaces
    assert send_in(chat, TEAM_ID, uninstalled()).status == 200
    assert installations.find_bot(enterprise_id=None, team_id=TEAM_ID) is None
    assert installations.find_bot(enterprise_id=None, team_id=SECOND).bot_token == SECOND_TOKEN
    assert send_in(chat, SECOND, mention("civil rights in Arkansas")).status == 200
    [post] = chat.posts()
    assert post.headers["Authorization"] == f"Bearer {SECOND_TOKEN}"
    assert send_in(chat, TEAM_ID, uninstalled()).status == 200  # again: nothing left, nothing breaks


def test_an_event_from_an_uninstalled_workspace_posts_nothing(workspaces):
    chat, _ = workspaces
    send_in(chat, TEAM_ID, uninstalled())
    send_in(chat, TEAM_ID, mention("civil rights in Arkansas"))
    assert chat.posts() == []


def test_tokens_revoked_for_the_bot_deletes_the_installation(workspaces):
    chat, installations = workspaces
    assert send_in(chat, SECOND, revoked(bot=[BOT_ID])).status == 200
    assert installations.find_bot(enterprise_id=None, team_id=SECOND) is None
    assert installations.find_bot(enterprise_id=None, team_id=TEAM_ID) is not None


def test_tokens_revoked_for_a_person_only_keeps_the_bots_installation(workspaces):
    chat, installations = workspaces
    assert send_in(chat, SECOND, revoked(oauth=["U0000SOMEONE"])).status == 200
    assert installations.find_bot(enterprise_id=None, team_id=SECOND).bot_token == SECOND_TOKEN


def test_with_a_single_bot_token_uninstall_events_are_acknowledged_and_nothing_breaks(chat):
    assert chat.event(uninstalled()).status == 200
    assert chat.event(revoked(bot=[BOT_ID])).status == 200
    [reply] = chat.mention("civil rights in Arkansas")
    assert reply.body["blocks"][0]["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")


def test_deleting_a_persons_installation_keeps_the_bots(workspaces):
    # What Bolt's own tokens_revoked handler asks for each user token: none is kept here.
    _, installations = workspaces
    installations.delete_installation(enterprise_id=None, team_id=SECOND, user_id="U0000SOMEONE")
    assert installations.find_bot(enterprise_id=None, team_id=SECOND).bot_token == SECOND_TOKEN
    installations.delete_installation(enterprise_id=None, team_id=SECOND)
    assert installations.find_bot(enterprise_id=None, team_id=SECOND) is None
