"""Where a benchmark's time goes, measured from outside: named functions wrapped while it runs.

The stages (fetch, parse, chunk, embed, store) are plain functions and methods; wrapping them where
their callers look them up times them without a line of timing code in ``ingest`` or ``rag``. A
wrapped call inside another wrapped call counts for both, so the stages chosen should not nest.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

Target = tuple[object, str, str]  # (module or class, attribute, stage)


class Stopwatch:
    """Seconds per stage, summed over calls, until ``take()`` hands them over and starts afresh."""

    def __init__(self) -> None:
        self._seconds: defaultdict[str, float] = defaultdict(float)

    def _timed(self, function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self._seconds[stage] += time.perf_counter() - started

        return timed

    def _wrapped(self, raw: Any, stage: str) -> Any:
        """The attribute as found on its owner, wrapped in the same kind (classmethod, staticmethod)."""
        if isinstance(raw, classmethod | staticmethod):
            return type(raw)(self._timed(raw.__func__, stage))
        return self._timed(raw, stage)

    @contextmanager
    def watching(self, targets: Sequence[Target]) -> Iterator[Stopwatch]:
        """Time the targets for the duration of the block; the originals come back afterwards."""
        originals = [(owner, name, inspect.getattr_static(owner, name)) for owner, name, _ in targets]
        try:
            for (owner, name, raw), (_, _, stage) in zip(originals, targets, strict=True):
                setattr(owner, name, self._wrapped(raw, stage))
            yield self
        finally:
            for owner, name, raw in reversed(originals):
                setattr(owner, name, raw)

    def take(self) -> dict[str, float]:
        """The seconds per stage since the last ``take()``."""
        taken = dict(self._seconds)
        self._seconds.clear()
        return taken
