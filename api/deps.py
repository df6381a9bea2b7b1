"""Named dependency types, so a route's signature says what it uses.

Everything hangs off the app's ``AppState``, built by the lifespan from the ApiConfig given to
``create_app``; tests swap a part with ``app.dependency_overrides[get_state]`` or their own ApiConfig.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.config import ApiConfig
from api.db import ApiStore
from api.errors import ApiError
from api.state import AppState
from rag.answer.assistant import Assistant
from rag.conversation.store import ConversationStore


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.kis
    return state


StateDep = Annotated[AppState, Depends(get_state)]


def get_config(state: StateDep) -> ApiConfig:
    return state.config


def get_store(state: StateDep) -> ApiStore:
    return state.store


def get_conversations(state: StateDep) -> ConversationStore:
    return state.conversations


def get_assistant(state: StateDep) -> Assistant:
    """The answerer over the active index; a 503 while none is loaded."""
    return state.holder.assistant


ConfigDep = Annotated[ApiConfig, Depends(get_config)]
StoreDep = Annotated[ApiStore, Depends(get_store)]
ConversationsDep = Annotated[ConversationStore, Depends(get_conversations)]
AssistantDep = Annotated[Assistant, Depends(get_assistant)]

_bearer = HTTPBearer(auto_error=False, description="De beheerderssleutel (KIS_ADMIN_API_KEY).")


def require_admin(
    config: ConfigDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Admin routes need the configured key; compared in constant time."""
    key = config.admin_api_key.get_secret_value() if config.admin_api_key else ""
    if not key:
        raise ApiError(
            403, "admin_disabled", "Beheerfuncties staan uit: er is geen beheerderssleutel ingesteld."
        )
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), key.encode()):
        raise ApiError(
            401,
            "unauthorized",
            "Geef een geldige beheerderssleutel mee (Authorization: Bearer …).",
            {"WWW-Authenticate": "Bearer"},
        )


AdminDep = Depends(require_admin)
