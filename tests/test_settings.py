import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import DEFAULT_API_URL, VARIABLES, ConfigError, load_slack_settings

ROOT = Path(__file__).resolve().parent.parent


def test_settings_come_from_the_environment():
    settings = load_slack_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "s",
            "PORT": "8080",
            "SLACK_API_URL": "https://slack-gov.com/api",
        }
    )
    assert settings.api_url == "https://slack-gov.com/api/" and settings.port == 8080
    assert not settings.socket_mode
    assert "xoxb" not in repr(settings)
    assert (
        load_slack_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}).api_url
        == DEFAULT_API_URL
    )


def test_socket_mode_needs_no_signing_secret():
    assert load_slack_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}).socket_mode


@pytest.mark.parametrize(
    ("environ", "name"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "http"}, "PORT"),
    ],
)
def test_a_missing_setting_is_named(environ, name):
    with pytest.raises(ConfigError, match=name):
        load_slack_settings(environ)


def serve_in(directory):
    """`python -m bot serve` from `directory`, with no Slack settings in the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=directory,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )


def test_serve_without_a_token_exits_2_naming_the_variable(tmp_path):
    done = serve_in(tmp_path)
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in done.stderr and "Traceback" not in done.stderr


def test_serve_reads_a_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\n")
    done = serve_in(tmp_path)
    assert done.returncode == 2 and "SLACK_SIGNING_SECRET is not set" in done.stderr


def test_env_example_lists_every_variable_the_code_reads():
    listed = {
        line.split("=")[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert set(VARIABLES) == listed  # every setting is documented, and nothing else is
    # ...and read in bot/settings.py alone: nowhere else looks at the environment
    elsewhere = [
        path.relative_to(ROOT)
        for path in (ROOT / "bot").rglob("*.py")
        if path.name != "settings.py" and ("os.environ" in path.read_text() or "getenv" in path.read_text())
    ]
    assert elsewhere == []


def test_manifest_subscribes_to_what_the_app_handles():
    from bot.slack.oauth import BOT_SCOPES

    manifest = yaml.safe_load((ROOT / "slack-app-manifest.yml").read_text())
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_home_opened",
        "member_joined_channel",
        "app_uninstalled",
        "tokens_revoked",
    }
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert set(scopes) == {
        "app_mentions:read",  # app_mention
        "im:history",  # message.im
        "chat:write",
        "commands",  # /state and the message shortcut
        "channels:read",  # member_joined_channel in public channels
        "groups:read",  # ... and in private ones
    }
    assert sorted(BOT_SCOPES) == sorted(scopes)  # the OAuth install asks for the same
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/state"]
    [shortcut] = manifest["features"]["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["callback_id"] == "lookup_message"
    assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 150
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_procfile_runs_the_server():
    assert (ROOT / "Procfile").read_text().strip() == "web: python -m bot serve"
