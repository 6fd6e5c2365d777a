import json
import os
import subprocess
import sys


def run(*args, input=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        input=input,
        env=os.environ.copy(),
    )


def test_ask_prints_the_reply_as_the_bot_posts_it():
    done = run("ask", "How does Arkansas protect civil rights during joint operations?")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "*Arkansas · Q8 · AR-8*"
    assert lines[1].startswith("*How does the state ensure that the civil rights")
    assert "_Source: State Coordination With CBP And ICE Task Forces in Arkansas, question 8 (AR-8)_" in lines
    assert any(line.startswith("Related: AR-") for line in lines)
    assert "matched protect, civil, rights, joint, operations" in done.stdout


def test_ask_json_prints_one_object():
    done = run("ask", "--json", "AR-7")
    reply = json.loads(done.stdout)
    assert reply["query"] == "AR-7" and reply["answered"] is True
    assert reply["results"][0] == {
        "ref": "AR-7",
        "state": "Arkansas",
        "number": 7,
        "question": "What are the key challenges faced by state agencies in coordinating with CBP and ICE task forces in Arkansas?",
        "score": 0.0,
    }


def test_ask_json_reads_stdin_one_line_per_question_in_order():
    questions = ["racial profiling in Arkansas", "hello", "", "Texas training", "AR-27", "WV-12"]
    done = run("ask", "--json", input="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["query"] for r in replies] == questions
    assert [r["answered"] for r in replies] == [True, False, False, False, False, True]
    assert replies[0]["results"][0]["ref"] == "AR-15" and len(replies[0]["results"]) <= 5
    scores = [r["score"] for r in replies[0]["results"]]
    assert scores == sorted(scores, reverse=True)
    assert replies[3]["why"]["not_covered"] == ["TX"] and replies[3]["results"] == []
    assert replies[5]["results"][0]["ref"] == "WV-12"


def test_unknown_state_reply_lists_the_states_there_are():
    done = run("ask", "how does Texas handle training?")
    assert "Texas is not covered yet" in done.stdout
    assert "Arkansas (AR), West Virginia (WV)" in done.stdout


def test_no_match_reply_is_short_and_helpful():
    done = run("ask", "a pizza recipe")
    assert done.stdout.startswith("No good match for “a pizza recipe”.")
    assert "States covered: Arkansas (AR), West Virginia (WV)." in done.stdout


def test_broken_corpus_stops_ask_with_the_file_and_line(tmp_path):
    (tmp_path / "bad.txt").write_text(
        "State Coordination With CBP And ICE Task Forces in Atlantis\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "training"],
        capture_output=True,
        text=True,
        env={**os.environ, "CORPUS_DIR": str(tmp_path)},
    )
    assert done.returncode == 1
    assert f"{tmp_path / 'bad.txt'}:1: title names" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_answer_for_no_state_keeps_its_footer_lines_apart():
    done = run("ask", "how are complaints about joint operations handled?")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    other = next(i for i, line in enumerate(lines) if line.startswith("In other states: "))
    assert lines[other].endswith("_")
    assert lines[other + 1].startswith("_Why this answer: ")
    assert "__Why" not in done.stdout


def test_ask_json_into_a_reader_that_stops_early_ends_quietly():
    """`ask --json | head -1`: the reader goes away; no BrokenPipeError, exit 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    process.stdin.write(b"training in WV\n" * 2000)  # fits the pipe: no deadlock; the replies do not
    process.stdin.close()
    first = process.stdout.readline()
    process.stdout.close()  # what `head -1` does after its line
    assert process.wait(timeout=60) == 0
    stderr = process.stderr.read().decode()
    assert json.loads(first)["query"] == "training in WV"
    assert "BrokenPipe" not in stderr and "Traceback" not in stderr and "Exception" not in stderr


def test_an_undecodable_byte_on_stdin_is_replaced_and_the_batch_goes_on():
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input=b"AR-7\ntraining \xff in WV\nWV-12\n",
        capture_output=True,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["query"] for r in replies] == ["AR-7", "training \ufffd in WV", "WV-12"]
    assert replies[2]["results"][0]["ref"] == "WV-12"
