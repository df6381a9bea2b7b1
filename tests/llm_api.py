"""The API with a chat model as its LLM, for tests of what it does with an LLM's answer (none runs here).

``PassageModel`` writes as a careful LLM would, from the passages it is given, word by word; a
``Gate`` holds it after its first words until the test lets go, so a test sees what the stream
sends while the model is still writing, with no clock involved. ``LlmApi`` serves the real app with
real uvicorn in a thread of the test process, so the test holds the model it answers with.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from api.config import AppParts
from api.main import create_app, prepare_database
from kis.settings import Settings
from kis.wiring import api_config, build_embedder, crawl_config, crawl_sources, open_index
from rag.answer.assistant import build_assistant
from rag.answer.llm import LLMComposer
from tests.api_server import api_settings, free_port

_FIRST_PASSAGE = re.compile(r"^\[1\] \(.*?\)\n(.*?)(?=\n\n\[2\] |\n\nVraag: )", re.S | re.M)
_MARK = re.compile(r"\[\d+\]")
INVENTED = "Volgens de bronnen kost dit € 999.999"  # an amount no passage holds
GATE_TIMEOUT_S = 120.0  # only against a test that hangs: a gate left shut is a failure, not a wait


class Gate:
    """Holds a model after its first words until ``open``; ``held`` says it got there, ``timed_out``
    that nobody opened it in time."""

    def __init__(self) -> None:
        self.held = threading.Event()
        self.opened = threading.Event()
        self.timed_out = False

    def wait(self) -> None:
        self.held.set()
        self.timed_out = not self.opened.wait(GATE_TIMEOUT_S)

    def open(self) -> None:
        self.opened.set()


class PassageModel(BaseChatModel):
    """Answers with passage [1] quoted whole and cited, or with ``INVENTED`` (which the guard turns
    down); streams a word at a time, waiting at ``gate`` after ``first_words`` words while it is shut."""

    invent: bool = False
    gate: Any = None  # a Gate
    first_words: int = 3

    @property
    def _llm_type(self) -> str:
        return "passage-model"

    def _answer(self, messages: list[BaseMessage]) -> str:
        if self.invent:
            return f"{INVENTED} [1]."
        found = _FIRST_PASSAGE.search(str(messages[-1].content))
        assert found is not None, "no passage [1] in the prompt"
        return " ".join(_MARK.sub("", found.group(1)).split()) + " [1]"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **_: Any
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._answer(messages)))])

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **_: Any
    ) -> Iterator[ChatGenerationChunk]:
        for n, token in enumerate(re.split(r"(\s+)", self._answer(messages))):
            if n == 2 * self.first_words and self.gate is not None:
                self.gate.wait()
            yield ChatGenerationChunk(message=AIMessageChunk(content=token))


class LlmApi:
    """The API app over ``corpus_index`` answering through ``model``, on a free loopback port."""

    def __init__(self, corpus_index: Settings, workdir: Path, model: BaseChatModel) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        settings = api_settings(corpus_index, workdir, api_port=free_port())
        prepare_database(settings.resolved_database_url)
        parts = AppParts(
            embedder=lambda: build_embedder(settings),
            assistant=lambda embedder, conversations, build: build_assistant(
                open_index(settings, build), embedder, conversations, composer=LLMComposer(model)
            ),
            crawl_config=lambda: crawl_config(settings),
            crawl_sources=lambda: crawl_sources(settings),
        )
        app = create_app(api_config(settings), parts)
        self.url = f"http://127.0.0.1:{settings.api_port}"
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=settings.api_port, log_level="warning")
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self, timeout: float = 90.0) -> LlmApi:
        self._thread.start()
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                try:
                    if client.get("/readyz").status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"API met LLM niet gereed binnen {timeout} s")

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(60)

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)
