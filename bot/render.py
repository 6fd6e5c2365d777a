"""Turn the answerer's replies into the words people see, from the jinja2 templates.

Templates live in templates/ so wording changes need no code change. Output
is Slack mrkdwn: `&`, `<` and `>` from any text are escaped, so nothing the
corpus or an asker wrote becomes a live mention or link.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.answerer import Answerer
from bot.reply import Hit, Reply
from bot.shipped import shipped_folder

TEMPLATES_DIR = shipped_folder("templates")
RELATED_COUNT = 3


def mrkdwn(text: object) -> str:
    """Escape text for Slack mrkdwn (only these three characters are special)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_environment(directory: Path = TEMPLATES_DIR) -> Environment:
    # No HTML autoescape: it is wrong for Slack (quotes would show as &#34;).
    env = Environment(
        loader=FileSystemLoader(directory),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # truncate(n) means at most n characters: by default jinja2 lets 5 more through, past Slack's limits
    env.policies["truncate.leeway"] = 0
    env.filters["mrkdwn"] = mrkdwn
    env.filters["json"] = _json
    env.filters["excerpt"] = excerpt
    return env


def render(name: str, **context: Any) -> str:
    return ENV.get_template(name).render(**context).strip()


def related_hits(answerer: Answerer, reply: Reply) -> list[Hit]:
    """Refs to pass on with an answer: the next matches, or the record's neighbours."""
    if reply.kind == "answer" and len(reply.hits) > 1:
        offered = {h.record.ref for h in reply.alternatives}
        return [h for h in reply.hits[1:] if h.record.ref not in offered][:RELATED_COUNT]
    best = reply.best
    return answerer.related(best.record, RELATED_COUNT) if best else []


def corpus_context(answerer: Answerer) -> dict[str, Any]:
    """What any template may say about the corpus: its states, their counts, an example ref."""
    return {
        "covered": answerer.states,
        "covered_counts": [(s, answerer.record_count(s)) for s in answerer.states],
        "example_ref": answerer.records[0].ref,
    }


def reply_context(answerer: Answerer, reply: Reply) -> dict[str, Any]:
    """Everything a reply template may use."""
    context: dict[str, Any] = {
        **corpus_context(answerer),
        "reply": reply,
        "kind": reply.kind,
        # what the asker wrote, as plain text (escaped when rendered)
        "asked": reply.query.strip(),
        "states": reply.states,
        "missing_states": reply.missing_states,
        "hits": reply.hits,
        "others": reply.others,
        "alternatives": reply.alternatives,
        "beyond": reply.beyond,
        "lookup": reply.kind == "lookup",
        "number": reply.number,
    }
    if reply.kind == "no_such_question":
        state = reply.states[0]
        context.update(state=state, count=answerer.record_count(state))
    if reply.best:
        context.update(hit=reply.best, related=related_hits(answerer, reply))
    return context


def render_text(answerer: Answerer, reply: Reply) -> str:
    """The reply as mrkdwn text, with why it was chosen: what the CLI prints."""
    context = reply_context(answerer, reply)
    if reply.best:
        record = reply.best.record
        context.update(record=record, answer_text=record.answer, truncated=False, why=True)
        return render("answer.mrkdwn.j2", **context)
    return render(f"{reply.kind}.mrkdwn.j2", **context)


def cut(text: str, limit: int) -> str:
    """`text` shortened to at most `limit` characters at a paragraph, line or word end."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for sep in ("\n\n", "\n", ". ", " "):
        at = head.rfind(sep)
        if at > limit // 2:
            return head[: at + (1 if sep == ". " else 0)].rstrip()
    return head.rstrip()


def excerpt(text: str, limit: int) -> str:
    """`text` cut to about `limit` characters, with an ellipsis when cut."""
    shortened = cut(text, limit)
    return shortened if shortened == text else shortened + " …"


ENV = make_environment()
