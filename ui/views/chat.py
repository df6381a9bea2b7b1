"""Chat: questions answered from the work plan, streamed, every claim linked to its source card.

The conversation lives in the API; this browser session keeps only the ids of its conversations
(``session_state``) so the sidebar can list and reload them. Clarifying options and follow-ups are
buttons whose click is handled as the next turn, and only on the newest answer, since the API
accepts an option only for the clarification still open.

Any click reruns the page and so cuts a streaming answer short. "Stoppen" uses that: its answer is
kept as far as it was shown. Any other click (a new question) leaves the turn in flight, and it is
asked again first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import streamlit as st

from ui.client import ApiProblem
from ui.components import Answer, api, show_answer, stream_answer
from ui.format import number

MAX_QUESTION_CHARS = 2000  # what the API reads (its OpenAPI document says maxLength 2000)

EXAMPLES = (
    "Hoeveel budget heeft project 3?",
    "Wie zitten er in de Raad van advies?",
    "Wat is de doelgroep van het project over polarisatie?",
)


@dataclass
class Turn:
    question: str
    answer: Answer
    rated: str | None = None
    commented: bool = False


@dataclass
class Ask:
    """A question waiting to be sent: typed, or a clicked option, follow-up or example."""

    question: str
    shown: str
    option: str | None = None


@dataclass
class Flight:
    """A question sent, and its answer as far as the stream has shown it."""

    ask: Ask
    answer: Answer


@dataclass
class ChatState:
    conversation_id: str | None = None
    turns: list[Turn] = field(default_factory=list)
    conversations: dict[str, str] = field(default_factory=dict)  # id → first question
    pending: list[Ask] = field(default_factory=list)  # asked, not yet sent: one is sent a run
    in_flight: Flight | None = None  # sent, its answer still streaming (a click reruns the page)
    notice: str | None = None

    def keep(self, ask: Ask, answer: Answer) -> None:
        """The turn joins the conversation it was answered in."""
        if answer.conversation_id and not answer.error:
            self.conversation_id = answer.conversation_id
            self.conversations.setdefault(answer.conversation_id, ask.shown)
        self.turns.append(Turn(ask.shown, answer))

    def stop(self) -> None:
        """The answer in flight ends where it is: kept as shown, marked stopped, not asked again (a
        copy: the run it was streaming in may write once more before it notices the click)."""
        if (flight := self.in_flight) is not None:
            self.in_flight = None
            self.keep(flight.ask, replace(flight.answer, stopped=True))


def chat_state() -> ChatState:
    if "chat" not in st.session_state:
        st.session_state["chat"] = _restored()
    state: ChatState = st.session_state["chat"]
    return state


# The URL names the open conversation and the recent ones (the API keeps their turns), so a reload
# or a bookmarked link brings them back.
CURRENT, RECENT = "gesprek", "gesprekken"
MAX_REMEMBERED = 10


def _restored() -> ChatState:
    """A new browser session: the conversations its URL names, the open one with its turns."""
    state = ChatState()
    for conversation_id in str(st.query_params.get(RECENT, "")).split(","):
        if conversation_id:
            try:
                turns = api().conversation(conversation_id)["turns"]
            except ApiProblem:
                continue  # expired or unknown: left out
            state.conversations[conversation_id] = str(turns[0]["question"]) if turns else "…"
    if current := st.query_params.get(CURRENT):
        state.conversations.setdefault(str(current), "…")
        _load(state, str(current))
    return state


def _remember(state: ChatState) -> None:
    """Write the open and recent conversations into the URL."""
    recent = list(state.conversations)[-MAX_REMEMBERED:]
    wanted = {RECENT: ",".join(recent)} if recent else {}
    if state.conversation_id:
        wanted[CURRENT] = state.conversation_id
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def _queue(ask: Ask) -> None:
    chat_state().pending.append(ask)


def _new_conversation() -> None:
    state = chat_state()
    _leave(state)
    state.conversation_id, state.turns, state.pending, state.notice = None, [], [], None


def _open_conversation(conversation_id: str) -> None:
    state = chat_state()
    _leave(state)
    _load(state, conversation_id)


def _leave(state: ChatState) -> None:
    """Leaving a conversation while its answer streams: the API still answers and keeps the turn
    in that conversation (listed, to come back to), so it is not asked again in the next one."""
    if (flight := state.in_flight) is not None:
        state.in_flight = None
        if flight.answer.conversation_id:
            state.conversations.setdefault(flight.answer.conversation_id, flight.ask.shown)


def _load(state: ChatState, conversation_id: str) -> None:
    """Reload a conversation from the API, turns and answers as stored."""
    try:
        conversation = api().conversation(conversation_id)
    except ApiProblem as problem:
        state.notice = problem.message
        if problem.status == 404:
            state.conversations.pop(conversation_id, None)
        return
    state.conversation_id, state.pending, state.notice = conversation_id, [], None
    state.turns = [
        Turn(str(t["question"]), Answer.from_reply(t["reply"], str(t["id"]))) for t in conversation["turns"]
    ]


def _sidebar(state: ChatState) -> None:
    with st.sidebar:
        if state.conversations:
            st.markdown("**Recente gesprekken**")
        for conversation_id, title in reversed(state.conversations.items()):
            current = conversation_id == state.conversation_id
            label = f"{'▶ ' if current else ''}{title[:60]}"
            st.button(
                label,
                key=f"gesprek-{conversation_id}",
                on_click=_open_conversation,
                args=(conversation_id,),
                help="Huidig gesprek" if current else "Open dit gesprek opnieuw",
                width="stretch",
            )


def _rate(turn: Turn, key: str) -> None:
    """One click on a thumb is the rating, sent at once; a comment may follow."""
    thumb = st.session_state.get(f"{key}-thumbs")
    if thumb is None or turn.answer.message_id is None:
        return
    rating = "up" if thumb == 1 else "down"
    try:
        api().feedback(turn.answer.message_id, rating, None)
    except ApiProblem as problem:
        st.session_state[f"{key}-problem"] = problem.message
        return
    st.session_state.pop(f"{key}-problem", None)
    turn.rated = rating


def _send_comment(turn: Turn, key: str) -> None:
    """The comment joins the rating already given (the API keeps one rating per answer)."""
    comment = str(st.session_state.get(f"{key}-comment") or "").strip()
    if not comment or turn.rated is None or turn.answer.message_id is None:
        return
    try:
        api().feedback(turn.answer.message_id, turn.rated, comment)
    except ApiProblem as problem:
        st.session_state[f"{key}-problem"] = problem.message
        return
    turn.commented = True


def _feedback_form(turn: Turn) -> None:
    key = f"feedback-{turn.answer.message_id}"
    if turn.commented:
        st.caption("Bedankt voor je feedback en je toelichting.")
        return
    st.feedback("thumbs", key=f"{key}-thumbs", on_change=_rate, args=(turn, key))
    if turn.rated:
        word = "nuttig" if turn.rated == "up" else "niet nuttig"
        st.caption(f"Bedankt: opgeslagen als {word}. Wil je iets toelichten? Dat mag, hoeft niet.")
        with st.form(key, border=False):
            st.text_area("Toelichting (optioneel)", key=f"{key}-comment", max_chars=2000)
            st.form_submit_button("Toelichting versturen", on_click=_send_comment, args=(turn, key))
    if problem := st.session_state.get(f"{key}-problem"):
        st.warning(problem)


def _choices(turn: Turn, index: int) -> None:
    """Buttons for the newest answer: the clarification's options, then the suggested follow-ups."""
    answer = turn.answer
    if answer.clarification and answer.clarification.get("options"):
        st.markdown("**Kies een optie:**")
        for n, option in enumerate(answer.clarification["options"]):
            label = str(option["label"])
            st.button(
                label,
                key=f"optie-{index}-{n}",
                on_click=_queue,
                args=(Ask("", label, option=str(option["value"])),),
            )
    if answer.follow_ups:
        st.markdown("**Vervolgvragen:**")
        for n, follow_up in enumerate(answer.follow_ups):
            st.button(
                follow_up, key=f"vervolg-{index}-{n}", on_click=_queue, args=(Ask(follow_up, follow_up),)
            )


def _show_turn(turn: Turn, index: int, newest: bool) -> None:
    with st.chat_message("user"):
        st.markdown(turn.question)
    with st.chat_message("assistant"):
        show_answer(turn.answer, turn.answer.message_id or str(index))
        if turn.answer.error:
            if newest:
                st.button("Opnieuw proberen", key=f"opnieuw-{index}", on_click=_retry, args=(index,))
            return
        if newest:
            _choices(turn, index)
        if turn.answer.message_id:
            _feedback_form(turn)


def _retry(index: int) -> None:
    state = chat_state()
    failed = state.turns.pop(index)
    state.pending.append(Ask(failed.question, failed.question))


def _stop() -> None:
    chat_state().stop()


def _ask(state: ChatState, ask: Ask) -> None:
    """Send one turn, streaming the answer into the page under a Stop button, then keep it. Should
    a click rerun the page meanwhile, the turn is stopped (Stoppen) or still ``in_flight``, and then
    asked again first."""
    with st.chat_message("user"):
        st.markdown(ask.shown)
    flight = state.in_flight = Flight(ask, Answer(conversation_id=state.conversation_id))
    with st.chat_message("assistant"):
        shown = st.empty()
        st.button(
            "Stoppen",
            key="stoppen",
            icon=":material/stop_circle:",
            on_click=_stop,
            help="Stop dit antwoord; wat er al staat, blijft staan.",
        )
        stream_answer(ask.question, state.conversation_id, ask.option, shown, flight.answer)
    if state.in_flight is flight:  # not stopped meanwhile
        state.in_flight = None
        state.keep(ask, flight.answer)


def _too_long(question: str) -> None:
    """Say why a question is not sent, and keep it whole to shorten (nothing typed is lost)."""
    st.error(
        f"Je vraag is {number(len(question))} tekens lang; de assistent leest er hoogstens "
        f"{number(MAX_QUESTION_CHARS)}. Kort hem hieronder in en stel hem opnieuw.",
        icon=":material/error:",
    )
    st.text_area("Je vraag, om in te korten", question, height=200)


def render() -> None:
    state = chat_state()
    _sidebar(state)
    title, new = st.columns([4, 1], vertical_alignment="bottom")
    title.title("Kennisassistent")
    # on the page, not in the sidebar: on a phone the sidebar folds away behind an unlabelled "»"
    new.button("Nieuw gesprek", icon=":material/add:", on_click=_new_conversation, width="stretch")
    st.caption(
        "Vragen over het werkplan en de kennispagina's van Kennisplatform Inclusief Samenleven. Elk "
        "antwoord noemt zijn bronnen: klik op [1], [2], … om naar de bron te gaan."
    )
    if state.notice:
        st.warning(state.notice)
    if state.in_flight is not None:  # a new question cut its answer short: it goes first
        state.pending.insert(0, state.in_flight.ask)
        state.in_flight = None
    if not state.turns and not state.pending:
        st.markdown("**Probeer bijvoorbeeld:**")
        for n, example in enumerate(EXAMPLES):
            st.button(example, key=f"voorbeeld-{n}", on_click=_queue, args=(Ask(example, example),))
    for index, turn in enumerate(state.turns):
        _show_turn(turn, index, newest=index == len(state.turns) - 1)
    # no max_chars: the box would cut a pasted question silently; a long one is said and kept
    typed = st.chat_input("Stel je vraag over het werkplan of de kennispagina's…")
    if typed and len(typed) > MAX_QUESTION_CHARS:
        _too_long(typed)
        typed = None
    if typed and typed.strip():
        state.pending.append(Ask(typed, typed))
    _remember(state)
    if state.pending:
        _ask(state, state.pending.pop(0))
        _remember(state)
        st.rerun()
