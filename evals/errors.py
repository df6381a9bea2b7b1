"""The harness's errors, a branch of the project's KisError tree; messages are Dutch and shown to users.

EvalError
├── GoldFileError — a gold file that cannot be used as it is (all its problems, with line numbers)
├── AnswerApiError — the answering API is unreachable or answers with an error
└── RunNotFoundError — a run asked for by id, label or path that does not exist
"""

from __future__ import annotations

from rag.errors import KisError


class EvalError(KisError):
    """Base of the evaluation harness's errors."""


class GoldFileError(EvalError):
    """A gold file with problems; the message lists each one with its line."""


class AnswerApiError(EvalError):
    """The API could not give a reply; the item is counted as an error and the run goes on."""


class RunNotFoundError(EvalError):
    """No recorded run matches the given id, label or results file."""
