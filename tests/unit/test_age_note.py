"""An answer whose newest source is old says how old it is."""

from __future__ import annotations

from rag.answer.replies import age_note


def test_an_answer_from_old_sources_says_the_year_of_the_newest() -> None:
    assert age_note([2016, 2018, None], "nl", 5, 2026) == (
        "Let op: de nieuwste bron van dit antwoord is uit 2018, 8 jaar geleden."
    )
    assert (
        age_note([2016], "en", 5, 2026)
        == "Note: the newest source of this answer is from 2016, 10 years ago."
    )


def test_a_recent_or_undated_source_needs_no_note() -> None:
    assert age_note([2016, 2021], "nl", 5, 2026) == ""  # five years is not more than five
    assert age_note([None, None], "nl", 5, 2026) == ""
    assert age_note([], "en", 5, 2026) == ""
