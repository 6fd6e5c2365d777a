"""Greetings and requests for help are told apart from questions, with no Slack in sight."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.smalltalk import is_help

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    "text",
    [
        "help",
        "Help!",
        "help me please",
        "hi",
        "hello",
        "hey there!",
        "Good morning everyone",
        "👋",
        "?",
        "",
        "   ",
        "what can you do?",
        "What can you do",
        "hi, what can you do?",
        "Hey statebot, how does this work?",
        "what’s this?",
        "who are you?",
        "how do I use this?",
        "which states do you cover?",
    ],
)
def test_greetings_and_requests_for_help_are_help(text):
    assert is_help(text)


@pytest.mark.parametrize(
    "text",
    [
        "what help do state agencies get from ICE?",
        "help with training in Arkansas",
        "hi, how does Arkansas train officers?",
        "how does this work in West Virginia with ICE?",
        "what can you do about racial profiling in AR?",
        "who oversees joint operations?",
        "thanks!",
        "lol",
        "ICE",
        "AR-7",
    ],
)
def test_questions_that_use_the_same_words_are_questions(text):
    assert not is_help(text)


def evaluation_questions() -> list[str]:
    """Every question of the evaluation sets that must be answered (follow-ups: both turns)."""
    questions = []
    for path in sorted(DATA.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            columns = line.split("\t")
            if path.name == "followups.tsv":
                questions += [columns[0], columns[2]]
            elif columns[0].strip() != "-":
                questions.append(columns[1])
    return questions


def test_no_answerable_question_of_the_evaluation_sets_counts_as_help():
    questions = evaluation_questions()
    assert len(questions) > 150
    assert [q for q in questions if is_help(q)] == []
