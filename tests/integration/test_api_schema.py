"""Requests generated from the API's own OpenAPI spec (schemathesis): never a 5xx, always as documented."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kis.settings import Settings
from tests.api_server import ApiServer, api_settings

pytestmark = pytest.mark.slow
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


@pytest.fixture(scope="module")
def server(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    workdir = tmp_path_factory.mktemp("api-schema")
    running = ApiServer(api_settings(corpus_index, workdir), workdir).start()
    yield running
    running.stop()


def test_generated_requests_get_no_server_error_and_match_the_spec(server: ApiServer, tmp_path: Path) -> None:
    """Deterministic generation, so a failure reproduces; the CLI because its pytest plugin does not
    load under this pytest version."""
    cli = Path(sys.executable).with_name("schemathesis")
    command = [str(cli), "run", f"{server.url}/openapi.json", "--checks", CHECKS, "--max-examples", "25"]
    result = subprocess.run(
        [*command, "--generation-deterministic", "--no-color"],
        cwd=tmp_path,  # its report files stay out of the work tree
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
