"""Pieces the pages share: the API client of this process, problem messages, replies with sources.

A reply is rendered the same way in the chat and under the budget question box: the answer with its
``[n]`` linked to its sources, each a compact chip ("[1] Werkplan 2026 › Doelgroep") that opens the
full card on demand: the cited snippet highlighted inside its passage, and links to read on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from ui.client import ApiClient, ApiProblem, Json
from ui.format import anchor, contacts_line, highlighted, link_citations, plain
from ui.settings import UiSettings

SOURCE_CONTEXT_CHARS = 300
CHIP_PART_CHARS = 32  # of a chip's title and of its section: a chip stays one short line
# What the stream's ``replace`` means to a reader, by its reason (the API documents the reasons).
REPLACED = {
    "unsupported": "Het eerste antwoord hield geen stand bij de controle op de bronnen; hieronder staat "
    "het antwoord in de woorden van de bronnen zelf.",
    "failed": "Het taalmodel viel uit tijdens het schrijven; hieronder staat het antwoord in de woorden "
    "van de bronnen zelf.",
    "revised": "Bij controle bleek het eerste antwoord niet te passen; hieronder staat het definitieve "
    "antwoord.",
}
STOPPED = "Gestopt: dit antwoord is afgebroken voordat het af was."


@st.cache_resource(show_spinner=False)
def _client(base_url: str, timeout_s: float) -> ApiClient:
    return ApiClient(base_url, timeout_s)


def api() -> ApiClient:
    """One client per API address for the whole Streamlit process (it pools connections)."""
    settings = UiSettings()
    return _client(settings.api_base_url, settings.ui_timeout_seconds)


@contextmanager
def shows_problems() -> Iterator[None]:
    """An ApiProblem inside becomes an error box with its Dutch message, and the page goes on."""
    try:
        yield
    except ApiProblem as problem:
        st.error(problem.message, icon=":material/warning:")


@dataclass
class Answer:
    """A reply as the UI keeps it: what the stream delivered, and the fetched source passages."""

    text: str = ""
    status: str = ""
    citations: list[Json] = field(default_factory=list)
    clarification: Json | None = None
    follow_ups: list[str] = field(default_factory=list)
    pointers: list[Json] = field(default_factory=list)  # of "not found": where the sources do say something
    feedback: str | None = None
    message_id: str | None = None
    conversation_id: str | None = None
    error: str | None = None
    sources: dict[int, Json | None] = field(default_factory=dict)
    replaced: str | None = None  # why the stream replaced the text it had shown (REPLACED)
    stopped: bool = False  # the reader stopped it: the text is what had been shown

    @classmethod
    def from_reply(cls, reply: dict[str, Any], message_id: str | None) -> Answer:
        """From a stored turn's reply (``GET /v1/conversations/{id}``)."""
        return cls(
            text=str(reply.get("answer", "")),
            status=str(reply.get("status", "")),
            citations=list(reply.get("citations") or []),
            clarification=reply.get("clarification"),
            follow_ups=list(reply.get("follow_ups") or []),
            pointers=list(reply.get("pointers") or []),
            feedback=reply.get("feedback"),
            message_id=message_id,
            conversation_id=reply.get("conversation_id"),
        )


def stream_answer(
    question: str,
    conversation_id: str | None,
    option: str | None,
    target: Any | None = None,
    answer: Answer | None = None,
) -> Answer:
    """Ask through ``/v1/chat/stream``, writing the text into ``target`` (an ``st.empty``) as it
    comes. ``answer`` is filled in place with what has been shown, so a run that a click cuts short
    (Stoppen, a new question) leaves it behind as far as it got."""
    answer = answer if answer is not None else Answer(conversation_id=conversation_id)
    try:
        for event in api().chat_stream(question, conversation_id, option):
            data = event.data
            if event.event == "status":
                answer.conversation_id = data.get("conversation_id") or answer.conversation_id
                if target is not None and data.get("message"):
                    target.markdown(f"_{plain(str(data['message']))}_")
            elif event.event in ("delta", "replace"):
                text = str(data.get("text", ""))
                shown = answer.text + text if event.event == "delta" else text
                replaced = str(data.get("reason")) if event.event == "replace" else answer.replaced
                if target is not None:  # first shown, then kept: a click interrupts in the former
                    note = f"_{REPLACED[replaced]}_\n\n" if replaced in REPLACED else ""
                    target.markdown(note + link_citations(shown, "", linked=False) + " ▌")
                answer.text, answer.replaced = shown, replaced
            elif event.event == "citations":
                answer.citations = list(data.get("citations") or [])
            elif event.event == "clarification":
                answer.clarification = data
            elif event.event == "follow_ups":
                answer.follow_ups = [str(f) for f in data.get("follow_ups") or []]
            elif event.event == "pointers":
                answer.pointers = list(data.get("pointers") or [])
            elif event.event == "done":
                answer.status = str(data.get("status", ""))
                answer.feedback = data.get("feedback")
                answer.message_id = data.get("message_id")
                answer.conversation_id = data.get("conversation_id") or answer.conversation_id
    except ApiProblem as problem:
        answer.error = problem.message
    if target is not None:
        target.empty()
    return answer


def _fetch_sources(answer: Answer) -> None:
    """The cited passages with context, fetched once per answer; a failure leaves the snippet alone."""
    for citation in answer.citations:
        n = int(citation["n"])
        if n in answer.sources:
            continue
        try:
            answer.sources[n] = api().source(
                str(citation["chunk_id"]),
                int(citation["start"]),
                int(citation["end"]),
                context_chars=SOURCE_CONTEXT_CHARS,
            )
        except ApiProblem:
            answer.sources[n] = None


def source_card(citation: Json, source: Json | None) -> None:
    """Title, section path, the snippet highlighted in its passage, and a link to the origin."""
    st.markdown(f"**Bron \\[{int(citation['n'])}\\]: {plain(str(citation['title']))}**")
    st.caption(f"Sectie: {plain(str(citation['section']))}")
    if source is not None:
        span = source["highlight"]
        st.markdown(
            "Gemarkeerd: de tekst die het antwoord ondersteunt.  \n"
            + highlighted(str(source["context"]), int(span["start"]), int(span["end"])),
            unsafe_allow_html=True,
        )
    else:
        st.markdown(f"Ondersteunende tekst: “{plain(str(citation['snippet']))}”")
    if source is not None and source.get("contacts"):
        st.caption(f"Contact voor vragen over deze pagina: {contacts_line(source['contacts'])}")
    links = [f"[Lees het in het document]({reader_link(str(citation['doc_id']), citation)})"]
    url = str(citation.get("url") or "")
    if url.startswith(("http://", "https://")):
        links.append(f"[Open de bron op {plain(url.split('/')[2])} ↗]({url})")
    st.markdown(" · ".join(links))


def chip_label(citation: Json) -> str:
    """ "[1] Werkplan 2026 › c. Raad van advies": the document's main title and the section's own
    heading, each cut short; the card says both in full."""
    title = str(citation["title"]).split(" — ")[0]
    section = str(citation.get("section") or "").split(" › ")[-1]
    parts = [
        p if len(p) <= CHIP_PART_CHARS else p[: CHIP_PART_CHARS - 1].rstrip() + "…"
        for p in (title, section)
        if p
    ]
    return plain(f"[{int(citation['n'])}] " + " › ".join(parts))


def source_chips(answer: Answer, prefix: str) -> None:
    """The sources under an answer, a chip each that opens its card; the answer's ``[n]`` lead here."""
    _fetch_sources(answer)
    anchors = "".join(f'<span id="{anchor(prefix, int(c["n"]))}"></span>' for c in answer.citations)
    st.markdown(f"{anchors}**Bronnen ({len(answer.citations)})**", unsafe_allow_html=True)
    with st.container(horizontal=True, gap="small"):
        for citation in answer.citations:
            n = int(citation["n"])
            with st.popover(chip_label(citation), key=f"bronchip-{prefix}-{n}"):
                source_card(citation, answer.sources.get(n))


def reader_link(doc_id: str, span: Json | None = None) -> str:
    """The Bronnen page opened at a document, the span marked in its section."""
    query = {"document": doc_id} | ({"start": span["start"], "end": span["end"]} if span else {})
    return f"bronnen?{urlencode(query)}"


def show_answer(answer: Answer, prefix: str) -> None:
    """The answer text with linked citations (and why it was replaced, or that it was stopped), the
    question's feedback as a hint, and the source chips."""
    if answer.error:
        st.error(answer.error, icon=":material/warning:")
        return
    if answer.replaced in REPLACED:
        st.caption(REPLACED[str(answer.replaced)])
    if answer.text:
        st.markdown(link_citations(answer.text, prefix, linked=bool(answer.citations)))
    if answer.stopped:
        st.caption(STOPPED)
    question = str((answer.clarification or {}).get("question") or "")
    if question and question not in answer.text:
        st.markdown(plain(question))
    if answer.status == "not_found":
        st.caption("Hierover staat niets in de bronnen van de kennisbank.")
        if answer.pointers:  # the places the reply names, to read on
            links = [
                f"[{plain(str(p['label']))}](bronnen?{urlencode({'passage': p['chunk_id']})})"
                for p in answer.pointers
            ]
            st.markdown("Lees verder: " + " · ".join(links))
    if answer.feedback:
        st.info(answer.feedback, icon=":material/info:")
    if answer.citations:
        source_chips(answer, prefix)
    if answer.text and answer.status == "answered":
        with st.expander("Antwoord kopiëren", icon=":material/content_copy:"):
            st.code(copyable(answer), language=None, wrap_lines=True)  # its corner button copies


def copyable(answer: Answer) -> str:
    """The answer as plain text with its sources under it, so a pasted copy keeps its citations."""
    lines = [answer.text.strip()]
    if answer.citations:
        lines.append("\nBronnen:")
        for c in answer.citations:
            where = f"{c['title']} › {c['section']}" if c.get("section") else str(c["title"])
            url = str(c.get("url") or "")
            lines.append(
                f"[{c['n']}] {where}" + (f" ({url})" if url.startswith(("http://", "https://")) else "")
            )
    return "\n".join(lines)
