"""A follow-up that points back ("wie zitten erin?") is read with the subject of the question it
follows: the rarest content words of that question, kept in the conversation's state."""

from __future__ import annotations

from rag.answer.compose import Scorer
from rag.answer.subject import subject_of, with_subject
from rag.conversation.rewrite import rewrite
from rag.conversation.state import ConversationState
from rag.structure.catalogue import Catalogue
from tests.factories import make_chunk

CHUNKS = [
    make_chunk("We gaan uit van een werkgroep bestaande uit vertegenwoordigers van de VNG.", project=14),
    make_chunk("De werkgroep komt vaak bij elkaar, vijf keer per jaar.", project=14),
    *[
        make_chunk(f"Het project gaat in 2026 vaak over elkaar en samenwerking {n}.", project=n)
        for n in range(1, 30)
    ],
]
SCORER = Scorer.from_chunks(CHUNKS)


def test_the_subject_is_the_questions_rarest_content_words_not_its_everyday_ones() -> None:
    assert subject_of("Hoe vaak komt de werkgroep van project 14 bij elkaar?", SCORER, "nl") == "werkgroep"
    assert subject_of("Wat is er?", SCORER, "nl") == ""


def test_the_word_that_points_back_gives_way_to_the_subject() -> None:
    assert with_subject("wie zitten erin", "werkgroep") == "wie zitten in werkgroep"
    assert with_subject("wat doet KIS daarmee?", "werkgroep") == "wat doet KIS met werkgroep?"
    assert with_subject("hoe vaak komt die bij elkaar?", "werkgroep") == "hoe vaak komt werkgroep bij elkaar?"
    assert with_subject("wie financiert dat?", "pabo") == "wie financiert pabo?"
    assert with_subject("Who funds it?", "pabo") == "Who funds pabo?"
    assert with_subject("wat kost het?", "pabo") == "wat kost pabo?"
    # a demonstrative before a noun, or a follow-up that names its own subject, stays as it is
    assert with_subject("voor wie is dat leernetwerk?", "pabo") == "voor wie is dat leernetwerk?"
    assert (
        with_subject("en wanneer is de tweede verkenning?", "pabo") == "en wanneer is de tweede verkenning?"
    )
    assert with_subject("wie zitten erin", "") == "wie zitten erin"


def test_a_follow_up_that_points_back_carries_the_conversations_subject() -> None:
    catalogue = Catalogue.from_chunks(CHUNKS)
    state = ConversationState.from_dict(ConversationState(subject="werkgroep").to_dict())
    assert state.subject == "werkgroep"  # stored and read back
    assert rewrite("wie zitten erin?", None, state, catalogue).subject == "werkgroep"
    assert rewrite("Wie is de voorzitter van de raad?", None, state, catalogue).subject == ""
