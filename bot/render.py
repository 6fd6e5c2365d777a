"""Turn engine replies into the words people see, from the jinja2 templates.

Templates live in templates/ so wording changes need no code change. Output
is Slack mrkdwn: `&`, `<` and `>` from any text are escaped, so nothing the
corpus or an asker wrote becomes a live mention or link.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.engine import Engine, Hit, Reply
from bot.text import normalize, strip_slack_markup

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
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
    env.filters["mrkdwn"] = mrkdwn
    env.filters["json"] = _json
    env.filters["excerpt"] = excerpt
    return env


def render(name: str, **context: Any) -> str:
    return ENV.get_template(name).render(**context).strip()


def related_hits(engine: Engine, reply: Reply) -> list[Hit]:
    """Refs to pass on with an answer: the next matches, or the record's neighbours."""
    if reply.kind == "answer" and len(reply.hits) > 1:
        return reply.hits[1 : 1 + RELATED_COUNT]
    best = reply.best
    return engine.related(best.record, RELATED_COUNT) if best else []


def corpus_context(engine: Engine) -> dict[str, Any]:
    """What any template may say about the corpus: its states, their counts, an example ref."""
    return {
        "covered": engine.states,
        "covered_counts": [(s, engine.record_count(s)) for s in engine.states],
        "example_ref": engine.records[0].ref,
    }


def reply_context(engine: Engine, reply: Reply) -> dict[str, Any]:
    """Everything a reply template may use."""
    context: dict[str, Any] = {
        **corpus_context(engine),
        "reply": reply,
        "kind": reply.kind,
        # what the asker wrote, mentions and links dropped (escaped again when rendered)
        "asked": normalize(strip_slack_markup(reply.query)).strip(),
        "states": reply.states,
        "missing_states": reply.missing_states,
        "hits": reply.hits,
        "others": reply.others,
        "lookup": reply.kind == "lookup",
        "number": reply.number,
    }
    if reply.kind == "no_such_question":
        state = reply.states[0]
        context.update(state=state, count=engine.record_count(state))
    if reply.best:
        context.update(hit=reply.best, related=related_hits(engine, reply))
    return context


def render_text(engine: Engine, reply: Reply) -> str:
    """The reply as mrkdwn text, with why it was chosen: what the CLI prints."""
    context = reply_context(engine, reply)
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
