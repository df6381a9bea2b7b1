"""What the API's integration tests share; each module starts its own ``server`` (its settings differ)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api_server import ApiServer


@pytest.fixture
def client(server: ApiServer) -> Iterator[httpx.Client]:
    """A client of the requesting module's server."""
    with server.client() as http:
        yield http
