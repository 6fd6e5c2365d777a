"""Slack messages (text fallback + Block Kit) rendered from the templates.

Every message is checked against Slack's limits before it is sent; answers
too long for one section are cut cleanly with a *Read the rest* button.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.answerer import Answerer
from bot.corpus import Record
from bot.render import ENV, corpus_context, cut, mrkdwn, render, reply_context
from bot.reply import Hit, Reply
from bot.states import State

Message = dict[str, Any]

# Slack's limits (docs.slack.dev, Block Kit reference and chat.postMessage).
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ID = 255
MAX_SELECT_OPTIONS = 100
MAX_OPTION_VALUE = 150
MAX_FALLBACK_TEXT = 4000
MAX_VIEW_BLOCKS = 100  # a modal or the Home tab
MAX_VIEW_TITLE = 24
MAX_HEADER_TEXT = 150
# Leave room in a section for the escaping of & < >.
ANSWER_CHARS = 2800
MORE_ANSWERS = 3


def _message(template: str, **context: Any) -> Message:
    """A message from a `*.json.j2` template: {"text": notification text, "blocks": [...]}."""
    message = json.loads(render(template, **context))
    message["text"] = cut(message["text"], MAX_FALLBACK_TEXT)
    problems = limit_problems(message)
    if problems:
        raise ValueError(f"{template} is over Slack's limits: " + "; ".join(problems))
    return message


def text_message(text: str) -> Message:
    return _message("text.json.j2", text=cut(text, MAX_SECTION_TEXT))


def notice(template: str, **context: Any) -> Message:
    """A one-section message from a `*.mrkdwn.j2` template."""
    return text_message(render(template, **context))


def fit_answer(answer: str, limit: int = ANSWER_CHARS) -> tuple[str, bool]:
    """The part of an answer that fits one section once escaped, and whether it was cut."""
    if len(mrkdwn(answer)) <= MAX_SECTION_TEXT:
        return answer, False
    shown = cut(answer, limit)
    while len(mrkdwn(shown)) > MAX_SECTION_TEXT:
        shown = cut(shown, len(shown) - 100)
    return shown, True


def answer_message(
    answerer: Answerer, reply: Reply, *, share: bool = False, with_why: bool = False
) -> Message:
    """An answer (or a look-up) with its source, related refs and buttons."""
    context = reply_context(answerer, reply)
    record = reply.best.record
    shown, truncated = fit_answer(record.answer)
    context.update(
        record=record,
        answer_text=shown,
        truncated=truncated,
        why=with_why,
        share=share,
        more_refs=[h.record.ref for h in context["related"]],
        compare=len(answerer.states) > 1,
    )
    return _message("answer.json.j2", **context)


def record_message(answerer: Answerer, record: Record, *, share: bool = False) -> Message:
    reply = Reply(record.ref, "lookup", hits=[Hit(record, 0.0)], states=[record.state], coverage=1.0)
    return answer_message(answerer, reply, share=share)


def reply_message(answerer: Answerer, reply: Reply, *, share: bool = False) -> Message:
    """Whatever the answerer decided, as a message: an answer or a short helpful note."""
    if reply.best:
        return answer_message(answerer, reply, share=share)
    context = reply_context(answerer, reply)
    if reply.kind in ("clarify", "choose_state"):
        return _message(f"{reply.kind}.json.j2", **context)
    return notice(f"{reply.kind}.mrkdwn.j2", **context)


def more_answers_message(answerer: Answerer, refs: Sequence[str]) -> Message:
    records = [answerer.by_ref[r] for r in refs if r in answerer.by_ref][:MORE_ANSWERS]
    if not records:
        return notice("no_more_answers.mrkdwn.j2")
    return _message("more_answers.json.j2", records=records)


def compare_message(answerer: Answerer, record: Record) -> Message:
    return _message("compare.json.j2", record=record, closest=answerer.compare(record))


def read_rest_message(record: Record, offset: int) -> Message:
    rest = record.answer[offset:].strip()
    parts = []
    while rest and len(parts) < MAX_BLOCKS - 1:
        part, _ = fit_answer(rest)
        parts.append(part)
        rest = rest[len(part) :].strip()
    return _message("read_rest.json.j2", record=record, parts=parts)


def example_questions(answerer: Answerer) -> list[str]:
    """The example questions of `_examples.j2`, each about a covered state (the first, the second...)."""
    questions = ENV.get_template("_examples.j2").module.questions  # type: ignore[attr-defined]
    states = answerer.states
    return [q.replace("{state}", states[i % len(states)].name) for i, q in enumerate(questions)]


def help_message(answerer: Answerer) -> Message:
    """How to ask, /state, the states covered and example questions as buttons."""
    return _message("help.json.j2", examples=example_questions(answerer), **corpus_context(answerer))


def intro_message(answerer: Answerer) -> Message:
    """What the bot says once when it is added to a channel."""
    return notice("intro.mrkdwn.j2", **corpus_context(answerer))


def home_view(
    answerer: Answerer, as_of: Mapping[str, date], *, query_log_days: int | None, installed: bool
) -> dict[str, Any]:
    """The Home tab: how to ask, the states with counts and as-of dates, examples, what is kept."""
    context = corpus_context(answerer)
    states = [(s, n, as_of.get(s.code)) for s, n in context["covered_counts"]]
    view = json.loads(
        render(
            "home.json.j2",
            states=states,
            examples=example_questions(answerer),
            query_log_days=query_log_days,
            installed=installed,
            **context,
        )
    )
    problems = view_problems(view)
    if problems:
        raise ValueError("home.json.j2 is over Slack's limits: " + "; ".join(problems))
    return view


def modal_view(message: Message) -> dict[str, Any]:
    """A message's blocks in a modal (a shortcut's answer, or what a click in a modal asked for)."""
    view = json.loads(render("modal.json.j2", blocks=message["blocks"]))
    problems = view_problems(view)
    if problems:
        raise ValueError("modal.json.j2 is over Slack's limits: " + "; ".join(problems))
    return view


def cite_message(record: Record, as_of: date | None) -> Message:
    """A copy-ready citation: page title, question number, ref and the page's as-of date."""
    return notice("cite.mrkdwn.j2", record=record, as_of=as_of.isoformat() if as_of else None)


_USER_ID_RE = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def shared_by(message: Message, user: str | None) -> Message:
    """The message with "Shared by @user" on top, from the click (nothing is stored)."""
    if not user or not _USER_ID_RE.match(user) or len(message["blocks"]) >= MAX_BLOCKS:
        return message
    note = {
        "type": "context",
        "block_id": "shared_by",
        "elements": [{"type": "mrkdwn", "text": render("_shared_by.mrkdwn.j2", user=user)}],
    }
    return {**message, "blocks": [note, *message["blocks"]]}


def state_list_message(answerer: Answerer, state: State, *, share: bool = False) -> Message:
    return _message("state_list.json.j2", state=state, records=answerer.records_of(state), share=share)


def not_a_state_message(answerer: Answerer, asked: str) -> Message:
    return notice("not_a_state.mrkdwn.j2", asked=asked, **corpus_context(answerer))


def feedback_message(ref: str, helpful: bool) -> Message:
    return notice("feedback_thanks.mrkdwn.j2", ref=ref, helpful=helpful)


def error_message() -> Message:
    return notice("error.mrkdwn.j2")


def view_problems(view: dict[str, Any]) -> list[str]:
    """Every way a modal or Home tab view breaks Slack's limits (empty when it is fine)."""
    problems = []
    blocks = view.get("blocks", [])
    if view.get("type") not in ("modal", "home"):
        problems.append(f"view type {view.get('type')!r}")
    if view.get("type") == "modal":
        for key in ("title", "close"):
            if not 0 < len((view.get(key) or {}).get("text", "")) <= MAX_VIEW_TITLE:
                problems.append(f"modal {key} empty or over {MAX_VIEW_TITLE} characters")
    if len(blocks) > MAX_VIEW_BLOCKS:
        problems.append(f"{len(blocks)} blocks > {MAX_VIEW_BLOCKS}")
    return problems + _block_problems(blocks)


def limit_problems(message: Message) -> list[str]:
    """Every way `message` breaks Slack's limits (empty when it is fine)."""
    problems = []
    text, blocks = message.get("text", ""), message.get("blocks", [])
    if not text.strip():
        problems.append("no notification text")
    if len(text) > MAX_FALLBACK_TEXT:
        problems.append(f"text {len(text)} > {MAX_FALLBACK_TEXT}")
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks > {MAX_BLOCKS}")
    return problems + _block_problems(blocks)


def _block_problems(blocks: list[dict[str, Any]]) -> list[str]:
    problems = []
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(block_ids) != len(set(block_ids)):
        problems.append("repeated block_id")
    for i, block in enumerate(blocks):
        where = f"block {i} ({block.get('type')})"
        if len(block.get("block_id", "")) > MAX_ID:
            problems.append(f"{where}: block_id too long")
        if block.get("type") == "section":
            section_text = block.get("text", {}).get("text")
            fields = block.get("fields", [])
            if section_text is None and not fields:
                problems.append(f"{where}: no text")
            if section_text is not None and not 0 < len(section_text) <= MAX_SECTION_TEXT:
                problems.append(f"{where}: text length {len(section_text)}")
            if len(fields) > MAX_FIELDS or any(len(f["text"]) > MAX_FIELD_TEXT for f in fields):
                problems.append(f"{where}: fields over limits")
        elif block.get("type") == "context":
            elements = block.get("elements", [])
            if not 0 < len(elements) <= MAX_CONTEXT_ELEMENTS or any(
                len(e.get("text", "")) > MAX_SECTION_TEXT for e in elements
            ):
                problems.append(f"{where}: elements over limits")
        elif block.get("type") == "actions":
            elements = block.get("elements", [])
            if not 0 < len(elements) <= MAX_ACTIONS_ELEMENTS:
                problems.append(f"{where}: {len(elements)} elements")
            action_ids = [e.get("action_id") for e in elements]
            if len(action_ids) != len(set(action_ids)):
                problems.append(f"{where}: repeated action_id")
            for e in elements:
                if not 0 < len(e.get("action_id", "")) <= MAX_ID:
                    problems.append(f"{where}: bad action_id")
                if e.get("type") == "static_select":
                    options = e.get("options", [])
                    if not 0 < len(options) <= MAX_SELECT_OPTIONS or any(
                        len(o["text"]["text"]) > MAX_BUTTON_TEXT or len(o["value"]) > MAX_OPTION_VALUE
                        for o in options
                    ):
                        problems.append(f"{where}: select options over limits")
                    continue
                if len(e["text"]["text"]) > MAX_BUTTON_TEXT:
                    problems.append(f"{where}: button text too long")
                if len(e.get("value", "")) > MAX_BUTTON_VALUE:
                    problems.append(f"{where}: button value too long")
        elif block.get("type") == "header":
            if not 0 < len(block.get("text", {}).get("text", "")) <= MAX_HEADER_TEXT:
                problems.append(f"{where}: header text length")
        elif block.get("type") != "divider":
            problems.append(f"{where}: unexpected block type")
    return problems
