"""The message shortcut "Look up in the state FAQ": any message's text answered in a modal."""

from __future__ import annotations

import json

CIVIL_RIGHTS = "How does Arkansas protect civil rights during joint operations?"


def test_the_shortcut_answers_the_message_in_a_modal_with_the_same_ref_source_and_choices(chat):
    assert chat.shortcut(CIVIL_RIGHTS).status == 200
    [opened] = chat.posts("views.open")
    assert opened.body["trigger_id"] == "1337.44.shortcut"
    view = opened.body["view"]
    assert view["type"] == "modal" and view["title"]["text"] == "State FAQ"
    heading, _answer, source, actions = view["blocks"]
    assert heading["text"]["text"].startswith("*Arkansas · Q8 · AR-8*")
    assert (
        "Source: State Coordination With CBP And ICE Task Forces in Arkansas" in source["elements"][0]["text"]
    )
    assert [e["action_id"] for e in actions["elements"]] == [
        "more_answers",
        "other_states",
        "cite",
        "feedback_helpful",
        "feedback_not_helpful",
    ]
    assert chat.posts() == [] and chat.posts("response_url") == []  # nothing in the channel


def test_the_shortcut_works_where_the_bot_is_not_a_member(chat, standin):
    standin.not_member_of.add("C0000OUTSD")
    chat.shortcut("civil rights in West Virginia", channel="C0000OUTSD")
    [opened] = chat.posts("views.open")
    assert opened.body["view"]["blocks"][0]["text"]["text"].startswith("*West Virginia · Q")


def test_the_shortcut_on_a_greeting_shows_help_and_on_an_empty_message_says_so(chat):
    chat.shortcut("hi everyone")
    chat.shortcut("")
    help_view, empty_view = (c.body["view"] for c in chat.posts("views.open"))
    assert "ask_example" in json.dumps(help_view)
    assert "no text I can look up" in json.dumps(empty_view)


def test_the_shortcut_never_echoes_mentions_as_live_markup(chat):
    chat.shortcut("<!channel> pizza &amp; <@U0000OTHER>")
    [opened] = chat.posts("views.open")
    shown = json.dumps(opened.body["view"])
    assert "<!channel>" not in shown and "<@U0000OTHER>" not in shown


def test_a_button_in_the_modal_opens_its_answer_on_top(chat):
    assert chat.click_in_view("more_answers", "AR-15,AR-5").status == 200
    [pushed] = chat.posts("views.push")
    assert pushed.body["trigger_id"] == "1337.43.view"
    assert "AR-15" in json.dumps(pushed.body["view"]) and pushed.body["view"]["type"] == "modal"
    assert chat.posts() == []


def test_three_modals_deep_the_modal_is_replaced_instead(chat, standin):
    standin.fail_next("views.push", error="push_limit_reached")
    chat.click_in_view("other_states", "AR-8")
    [updated] = chat.posts("views.update")
    assert updated.body["view_id"] == "V0000VIEW1"
    assert "Closest to AR-8" in json.dumps(updated.body["view"])


def test_feedback_and_cite_in_the_modal_answer_in_the_modal(chat):
    chat.click_in_view("feedback_helpful", "AR-8")
    chat.click_in_view("cite", "AR-8")
    thanks, cite = (c.body["view"] for c in chat.posts("views.push"))
    assert "glad AR-8 helped" in json.dumps(thanks)
    assert "Q8 (AR-8), as of" in json.dumps(cite)
    assert chat.posts("chat.postEphemeral") == []


def test_the_question_is_logged_after_the_modal_opens_only_with_the_query_log_on(
    chat, standin, answerer, chat_database
):
    from sqlalchemy import select

    from bot.db.schema import query_log
    from tests.support.chat import new_chat

    def logged() -> list[str]:
        with chat_database.connect() as connection:
            return [row.question for row in connection.execute(select(query_log))]

    chat.shortcut("civil rights in Arkansas, not logged")
    assert "civil rights in Arkansas, not logged" not in logged()
    logging_chat = new_chat(standin, answerer, chat_database, QUERY_LOG="on")
    logging_chat.shortcut("civil rights in Arkansas, logged")
    assert "civil rights in Arkansas, logged" in logged()
