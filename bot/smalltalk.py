"""Is a message a greeting or a request for help, rather than a question? Plain text in, no Slack.

Only a whole message counts: a greeting alone ("hi there!"), a help phrase
alone ("help", "what can you do?"), or a greeting then a help phrase ("hey,
how does this work?"). A question that merely uses such a word ("what help
do state agencies get from ICE?", "hi, how does Arkansas train officers?")
is a question, and goes to the answerer.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

GREETINGS = {
    "hi",
    "hello",
    "hey",
    "heya",
    "hiya",
    "howdy",
    "yo",
    "greetings",
    "hola",
    "morning",
    "afternoon",
    "evening",
}
# Words that may follow a greeting or close a request without changing what it asks.
FILLER = {
    "good",
    "there",
    "all",
    "everyone",
    "everybody",
    "folks",
    "team",
    "bot",
    "statebot",
    "please",
    "pls",
    "plz",
    "again",
}
# Whole requests for help, as word sequences (after greetings and filler are dropped).
HELP_PHRASES = {
    "",
    "help",
    "help me",
    "can you help",
    "can you help me",
    "could you help",
    "could you help me",
    "how can you help",
    "how can you help me",
    "what can you help with",
    "what can you help me with",
    "what do you help with",
    "i need help",
    "usage",
    "how to use",
    "how to use you",
    "how to use this",
    "how do i use you",
    "how do i use this",
    "how do i use this bot",
    "how do i use it",
    "how does this work",
    "how does it work",
    "how do you work",
    "what can you do",
    "what can i ask",
    "what can i ask you",
    "what should i ask",
    "what do you do",
    "what do you know",
    "what do you know about",
    "what are you",
    "who are you",
    "what is this",
    "what is this bot",
    "what's this",
    "what's this bot",
    "commands",
    "info",
    "about",
    "menu",
    "options",
    "get started",
    "getting started",
    "start",
    "what states do you cover",
    "which states do you cover",
    "what states",
    "which states",
}


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("\u2019", "'"))


def is_help(text: str) -> bool:
    """True for a greeting or a request for help (or nothing at all), false for a question."""
    found = words(text)
    # Leading greetings and filler: "hi", "hey there", "good morning everyone".
    while found and (found[0] in GREETINGS or found[0] in FILLER):
        found.pop(0)
    # Trailing politeness: "help please", "what can you do bot".
    while found and found[-1] in FILLER:
        found.pop()
    return " ".join(found) in HELP_PHRASES
