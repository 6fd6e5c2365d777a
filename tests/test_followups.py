"""Follow-up questions in a thread, read in the light of the thread's last answer."""

from __future__ import annotations


def refs(reply):
    return [h.record.ref for h in reply.hits]


def test_another_state_keeps_the_topic(answerer):
    reply = answerer.follow_up("what about West Virginia?", "AR-8")
    assert reply.answered and refs(reply)[0] == "WV-10" and reply.follows == "AR-8"
    assert [s.code for s in reply.states] == ["WV"]


def test_a_new_topic_keeps_the_state(answerer):
    reply = answerer.follow_up("and how are complaints handled?", "WV-10")
    assert reply.answered and refs(reply)[0] == "WV-19" and reply.follows == "WV-10"


def test_a_new_topic_never_leaves_the_threads_state(answerer):
    reply = answerer.follow_up("and what about racial profiling?", "AR-8")
    assert {h.record.state.code for h in reply.hits} == {"AR"}


def test_a_ref_or_a_fully_stated_question_starts_afresh(answerer):
    assert refs(answerer.follow_up("WV-3", "AR-8")) == ["WV-3"]
    fresh = answerer.follow_up("how does West Virginia handle complaints?", "AR-8")
    assert refs(fresh)[0] == "WV-19" and fresh.follows is None


def test_a_state_not_covered_is_said_plainly(answerer):
    reply = answerer.follow_up("what about Texas?", "AR-8")
    assert reply.kind == "not_covered" and not reply.answered


def test_a_follow_up_for_facts_the_pages_do_not_hold_is_refused(answerer):
    assert answerer.follow_up("how many people were arrested?", "AR-8").kind == "not_in_pages"


def test_an_unknown_previous_ref_is_a_fresh_question(answerer):
    assert refs(answerer.follow_up("civil rights in Arkansas", "XX-1"))[0] == "AR-8"
