import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.corpus import DEFAULT_CORPUS_DIR, CorpusError, check_corpus, load_corpus, load_file

SEEDS = {"arkansas.txt": ("Arkansas", "AR"), "west-virginia.txt": ("West Virginia", "WV")}
PAGE = """Categories Federal Government

State Coordination With CBP And ICE Task Forces in {state}

1. What is the first question?

An answer with a list:

1. Item one: is this a question?

2. Item two.

2. What is the second question?

Second answer.

3. What is the third question?

Third answer.
"""


def write(tmp_path: Path, text: str, name: str = "page.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("filename", sorted(SEEDS))
def test_seed_pages_give_exactly_twenty_records_with_the_questions_verbatim(filename):
    path = DEFAULT_CORPUS_DIR / filename
    records = load_file(path)
    name, code = SEEDS[filename]
    assert [r.number for r in records] == list(range(1, 21))
    assert {(r.state.name, r.state.code) for r in records} == {(name, code)}
    lines = path.read_text(encoding="utf-8").splitlines()
    for r in records:
        assert lines[r.line - 1] == f"{r.number}. {r.question}"  # exact text and where it came from
        assert r.ref == f"{code}-{r.number}"
        assert r.answer and not re.match(r"^\d+\. .*\?$", r.answer.splitlines()[0])
        assert r.title == f"State Coordination With CBP And ICE Task Forces in {name}"


def test_answer_lists_are_answer_text_not_questions(records):
    ar5, ar6 = records[4], records[5]
    # AR-5's answer is a list 1..5 and AR-6 follows as "6. ...?": the look-ahead must see a question.
    assert "5. Finally" in ar5.answer
    assert ar6.question.startswith("How does the state balance immigration enforcement")
    assert "1. Regular Meetings and Briefings" in records[1].answer


def test_corpus_folder_holds_the_seed_pages_unchanged():
    assert sorted(p.name for p in DEFAULT_CORPUS_DIR.glob("*.txt")) == sorted(SEEDS)
    assert len(load_corpus()) == 40


def test_list_item_ending_with_question_mark_is_not_a_question(tmp_path):
    records = load_file(write(tmp_path, PAGE.format(state="Ohio")))
    assert [r.number for r in records] == [1, 2, 3]
    assert "1. Item one: is this a question?" in records[0].answer
    assert records[0].state.code == "OH"


def test_list_item_numbered_like_the_next_question_stays_in_the_answer(tmp_path):
    text = PAGE.format(state="Ohio").replace("2. Item two.", "2. Item two, or is it?")
    records = load_file(write(tmp_path, text))
    assert [r.question for r in records] == [
        "What is the first question?",
        "What is the second question?",
        "What is the third question?",
    ]
    assert "2. Item two, or is it?" in records[0].answer


def test_windows_endings_bom_trailing_spaces_and_curly_quotes_are_fine(tmp_path):
    text = "\ufeff" + PAGE.format(state="Ohio").replace("first question?", "state\u2019s first question?   ")
    text = text.replace("\n", "\r\n")
    records = load_file(write(tmp_path, text))
    assert records[0].question == "What is the state\u2019s first question?"
    assert "\r" not in records[0].answer


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        (PAGE.format(state="Atlantis"), 3, 'title names "Atlantis", which is not a US state'),
        (PAGE.format(state="Ohio").replace("State Coordination", "Notes on"), 1, "no title line"),
        (
            PAGE.format(state="Ohio").replace("3. What is the third", "4. What is the third"),
            17,
            "question numbered 4 out of order; expected question 3",
        ),
        (
            PAGE.format(state="Ohio").replace("3. What is the third", "2. What is the third"),
            17,
            "question 2 repeated (first at line 13); expected question 3",
        ),
        (PAGE.format(state="Ohio").replace("Second answer.", ""), 13, "question 2 has no answer"),
        (PAGE.format(state="Ohio").replace("Third answer.", ""), 17, "question 3 has no answer"),
    ],
)
def test_malformed_page_is_refused_with_file_line_and_what_was_expected(tmp_path, text, line, expected):
    path = write(tmp_path, text)
    with pytest.raises(CorpusError) as err:
        load_file(path)
    assert err.value.line == line
    assert str(err.value).startswith(f"{path}:{line}: ")
    assert expected in str(err.value)


def test_non_utf8_file_is_refused_with_its_line(tmp_path):
    path = write(
        tmp_path,
        PAGE.format(state="Ohio").replace("Second answer", "Second answer \u00e9"),
        encoding="latin-1",
    )
    with pytest.raises(CorpusError, match=r"page.txt:15: not UTF-8"):
        load_file(path)


def test_two_files_for_one_state_blame_the_second_at_its_title_line(tmp_path):
    first = write(tmp_path, PAGE.format(state="Ohio"), "a.txt")
    second = write(tmp_path, PAGE.format(state="ohio"), "b.txt")
    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path)
    assert (err.value.path, err.value.line) == (str(second), 3)
    assert str(err.value) == (
        f"{second}:3: a second page for Ohio, which already has {first} (title at line 3): "
        "fix this title, or remove one of the two"
    )


def test_of_two_files_for_one_state_the_one_named_after_another_state_is_blamed(tmp_path):
    # idaho.txt sorts first, but ohio.txt is Ohio's page: the mistake is in idaho.txt.
    write(tmp_path, PAGE.format(state="Ohio"), "ohio.txt")
    wrong = write(tmp_path, "\n\n" + PAGE.format(state="Ohio"), "idaho.txt")
    records, errors, _ = check_corpus(tmp_path)
    [error] = errors
    assert (error.path, error.line) == (str(wrong), 5)
    assert f"which already has {tmp_path / 'ohio.txt'} (title at line 3)" in str(error)
    assert {r.path for r in records} == {str(tmp_path / "ohio.txt")}


LOST = "What is the second question?"


@pytest.mark.parametrize(
    "page",
    [
        PAGE,  # the first answer ends in a numbered list, so "3." could have been its next item
        PAGE.replace("1. Item one: is this a question?\n\n2. Item two.", "No list here."),
    ],
    ids=["after-a-list", "plain"],
)
def test_a_question_that_lost_its_number_is_reported_at_its_own_line(tmp_path, page):
    text = page.format(state="Ohio").replace(f"2. {LOST}", LOST)
    path = write(tmp_path, text)
    lost_at = text.splitlines().index(LOST) + 1
    third_at = text.splitlines().index("3. What is the third question?") + 1
    with pytest.raises(CorpusError) as err:
        load_file(path)
    assert err.value.line == lost_at
    assert str(err.value) == (
        f'{path}:{lost_at}: question 2 has lost its number: expected "2. {LOST}" '
        f"(the next numbered question, at line {third_at}, is 3)"
    )


def test_the_first_question_losing_its_number_is_reported_at_its_line(tmp_path):
    text = PAGE.format(state="Ohio").replace("1. What is the first question?", "What is the first question?")
    with pytest.raises(CorpusError, match=r"page.txt:5: question 1 has lost its number"):
        load_file(write(tmp_path, text))


def test_the_last_question_losing_its_number_is_read_with_a_warning(tmp_path):
    text = PAGE.format(state="Ohio").replace("3. What is the third question?", "What is the third question?")
    warnings: list[CorpusError] = []
    records = load_file(write(tmp_path, text), warnings)
    assert [r.number for r in records] == [1, 2]
    [warning] = warnings
    assert warning.line == 17
    assert "looks like a question without its number" in str(warning)
    assert 'question 2\'s answer (if it is question 3, write "3. What is the third question?")' in str(
        warning
    )


def test_upper_case_txt_is_read_and_other_files_are_skipped_with_a_warning(tmp_path):
    write(tmp_path, PAGE.format(state="Ohio"), "Ohio.TXT")
    write(tmp_path, PAGE.format(state="Texas"), "texas.md")
    write(tmp_path, "", ".gitkeep")
    records, errors, warnings = check_corpus(tmp_path)
    assert errors == [] and {r.state.code for r in records} == {"OH"}
    assert [str(w) for w in warnings] == [
        f"{tmp_path / 'texas.md'}: not read: state pages are .txt files (if it is one, name it texas.txt)"
    ]


def test_a_page_named_after_another_state_is_read_with_a_warning(tmp_path):
    path = write(tmp_path, PAGE.format(state="Ohio"), "texas.txt")
    records, errors, warnings = check_corpus(tmp_path)
    assert errors == [] and {r.state.code for r in records} == {"OH"}
    assert [str(w) for w in warnings] == [
        f"{path}:3: the title names Ohio but the file name does not (name it ohio.txt)"
    ]


def test_adding_a_state_is_dropping_a_file_in(tmp_path):
    for name in SEEDS:
        (tmp_path / name).write_bytes((DEFAULT_CORPUS_DIR / name).read_bytes())
    write(tmp_path, PAGE.format(state="Ohio"), "ohio.txt")
    assert {r.state.code for r in load_corpus(tmp_path)} == {"AR", "WV", "OH"}


def run_cli(*args, env=None, input=None):
    import os

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env, input=input
    )


def test_corpus_check_prints_counts_and_passes_on_the_real_corpus():
    done = run_cli("corpus", "check")
    assert done.returncode == 0, done.stderr
    assert "Arkansas (AR) arkansas.txt: 20 questions" in done.stdout
    assert "West Virginia (WV) west-virginia.txt: 20 questions" in done.stdout
    assert "asked every page's own questions: 0 did not come back as themselves" in done.stdout


def test_corpus_check_reports_a_question_that_does_not_come_back_as_itself(tmp_path):
    from bot.corpus import DEFAULT_CORPUS_DIR

    page = (DEFAULT_CORPUS_DIR / "arkansas.txt").read_text(encoding="utf-8")
    seventh = next(line for line in page.splitlines() if line.startswith("7. "))
    eighth = next(line for line in page.splitlines() if line.startswith("8. "))
    (tmp_path / "arkansas.txt").write_text(page.replace(seventh, "7. " + eighth[3:]), encoding="utf-8")
    done = run_cli("corpus", "check", env={"CORPUS_DIR": str(tmp_path)})
    assert "check: AR-" in done.stdout and "did not come back as themselves" in done.stdout


def test_corpus_check_fails_and_names_every_bad_file(tmp_path):
    write(tmp_path, PAGE.format(state="Ohio"), "ohio.txt")
    write(tmp_path, PAGE.format(state="Atlantis"), "atlantis.txt")
    write(tmp_path, PAGE.format(state="Ohio").replace("2. What", "5. What"), "ohio2.txt")
    done = run_cli("corpus", "check", env={"CORPUS_DIR": str(tmp_path)})
    assert done.returncode == 1
    assert "Ohio (OH) ohio.txt: 3 questions" in done.stdout
    assert "atlantis.txt:3: title names" in done.stderr
    assert "ohio2.txt:13: question numbered 5 out of order; expected question 2" in done.stderr


def test_a_pages_digest_changes_with_its_text_not_with_how_it_is_saved(tmp_path):
    from bot.corpus import page_digests

    original = page_digests(load_corpus())
    assert set(original) == {"AR", "WV"} and all(len(d) == 64 for d in original.values())
    for name in SEEDS:
        text = (DEFAULT_CORPUS_DIR / name).read_text(encoding="utf-8")
        (tmp_path / name).write_bytes(("\ufeff" + text.replace("\n", "  \r\n")).encode())
    assert page_digests(load_corpus(tmp_path)) == original  # BOM, CRLF, trailing spaces
    ar = tmp_path / "arkansas.txt"
    ar.write_text(ar.read_text(encoding="utf-8-sig").replace("joint operations", "joint work", 1))
    changed = page_digests(load_corpus(tmp_path))
    assert changed["AR"] != original["AR"] and changed["WV"] == original["WV"]


def test_corpus_check_prints_each_pages_as_of_date_from_the_database(tmp_path):
    from datetime import date

    from bot.corpus import page_digests
    from bot.db.database import open_database
    from bot.db.store import Store

    db_file = tmp_path / "bot.sqlite3"
    url = f"sqlite:///{db_file}"
    done = run_cli("corpus", "check", env={"DATABASE_URL": url})
    assert done.returncode == 0, done.stderr
    assert "Arkansas (AR) arkansas.txt: 20 questions, not yet served" in done.stdout
    assert not db_file.exists()  # checking creates no database

    database = open_database(url)
    Store(database).record_pages(page_digests(load_corpus()), today=date(2026, 11, 22))
    database.dispose()
    done = run_cli("corpus", "check", env={"DATABASE_URL": url})
    assert "Arkansas (AR) arkansas.txt: 20 questions, as of 2026-11-22" in done.stdout
    assert "West Virginia (WV) west-virginia.txt: 20 questions, as of 2026-11-22" in done.stdout

    pages = tmp_path / "pages"
    pages.mkdir()
    for name in SEEDS:
        (pages / name).write_bytes((DEFAULT_CORPUS_DIR / name).read_bytes())
    ar = pages / "arkansas.txt"
    ar.write_text(
        ar.read_text(encoding="utf-8").replace("joint operations", "joint work", 1), encoding="utf-8"
    )
    done = run_cli("corpus", "check", env={"DATABASE_URL": url, "CORPUS_DIR": str(pages)})
    assert "Arkansas (AR) arkansas.txt: 20 questions, not yet served" in done.stdout  # changed text
    assert "West Virginia (WV) west-virginia.txt: 20 questions, as of 2026-11-22" in done.stdout


def test_corpus_check_without_a_reachable_database_still_checks_the_corpus():
    done = run_cli("corpus", "check", env={"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    assert done.returncode == 0
    assert "Arkansas (AR) arkansas.txt: 20 questions, not yet served" in done.stdout
    assert "as-of dates unavailable" in done.stderr and "Traceback" not in done.stderr


def test_corpus_check_prints_warnings_and_passes_when_there_are_only_warnings(tmp_path):
    write(tmp_path, PAGE.format(state="Ohio"), "Ohio.TXT")
    write(tmp_path, PAGE.format(state="Texas"), "texas.md")
    write(tmp_path, PAGE.format(state="Utah"), "idaho.txt")
    done = run_cli("corpus", "check", env={"CORPUS_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert (
        "Ohio (OH) Ohio.TXT: 3 questions" in done.stdout and "Utah (UT) idaho.txt: 3 questions" in done.stdout
    )
    assert "warning: " + str(tmp_path / "texas.md") + ": not read" in done.stderr
    assert "warning: " + str(tmp_path / "idaho.txt") + ":3: the title names Utah" in done.stderr
    assert "2 states, 6 questions, 0 problems, 2 warnings" in done.stdout
