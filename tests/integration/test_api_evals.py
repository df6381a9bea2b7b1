"""``/v1/evals`` end to end: gold files, runs started in the background, history, drill-down, compare."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.eval_jobs import GOLD_DIR
from kis.settings import Settings
from tests.api_server import ApiServer, admin_headers
from tests.ui_support import isolated_api, run_eval, wait_for_eval

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    running = isolated_api(corpus_index, tmp_path_factory.mktemp("api-evals")).start()
    yield running
    running.stop()


def test_gold_files_are_listed_with_their_items(client: httpx.Client) -> None:
    listed = {gold["name"]: gold for gold in client.get("/v1/evals/gold").json()}
    assert {path.name for path in GOLD_DIR.glob("*.jsonl")} == set(listed)
    assert listed["werkplan.jsonl"]["items"] > 100 and listed["werkplan.jsonl"]["issues"] == []


def test_starting_a_run_needs_the_admin_key_and_a_known_gold_file(client: httpx.Client) -> None:
    body = {"gold": "werkplan.jsonl", "limit": 1}
    assert client.post("/v1/evals/jobs", json=body).status_code == 401
    wrong = client.post("/v1/evals/jobs", json=body, headers={"Authorization": "Bearer fout"})
    assert wrong.status_code == 401 and wrong.json()["error"]["message"].startswith("Geef een geldige")
    unknown = client.post("/v1/evals/jobs", json={"gold": "../thresholds.toml"}, headers=admin_headers())
    assert unknown.status_code == 404
    assert unknown.json()["error"] == {
        "code": "gold_not_found",
        "message": "Gold-bestand '../thresholds.toml' bestaat niet; zie GET /v1/evals/gold.",
        "request_id": unknown.headers["x-request-id"],
    }
    extra = client.post("/v1/evals/jobs", json={**body, "model": "x"}, headers=admin_headers())
    assert extra.status_code == 422 and "'model' is onbekend" in extra.json()["error"]["message"]
    assert client.get("/v1/evals/jobs/onbekend").status_code == 404


def test_a_run_is_recorded_with_its_items_and_can_be_drilled_into(client: httpx.Client) -> None:
    before = len(client.get("/v1/evals/runs").json())
    job = run_eval(client, limit=4, label="api-test")
    assert job["done"] == job["total"] == 4 and job["run_id"] in job["message"]
    runs = client.get("/v1/evals/runs").json()
    assert len(runs) == before + 1
    newest = runs[0]
    assert newest["run_id"] == job["run_id"] and newest["label"] == "api-test"
    assert newest["n_items"] == 4 and newest["gold_file"] == "werkplan.jsonl"
    assert newest["metrics"]["n_items"] == 4 and newest["pass_rate"] == newest["metrics"]["pass_rate"]
    detail = client.get("/v1/evals/runs/laatste").json()
    assert detail["run"]["run_id"] == job["run_id"]
    assert detail["run"]["gold_path"] == "werkplan.jsonl"  # its name; no path of the server
    items = detail["run"]["items"]
    assert detail["failures"] == [i["id"] for i in items if not i["passed"]]
    answered = [t for i in items for t in i["turns"] if t["status"] == "answered"]
    assert answered and all(t["citations"] and t["citations"][0].startswith("[1] ") for t in answered)
    assert all(t["expected"] for i in items for t in i["turns"] if t["expect_status"] == "answered")
    by_prefix = client.get(f"/v1/evals/runs/{job['run_id'][:17]}")
    assert by_prefix.status_code == 200 and by_prefix.json()["run"]["run_id"] == job["run_id"]


def test_compare_two_runs_and_unknown_runs(client: httpx.Client) -> None:
    first = run_eval(client, limit=2)
    second = run_eval(client, limit=3)
    c = client.get("/v1/evals/compare", params={"a": first["run_id"], "b": second["run_id"]}).json()
    assert (c["a"], c["b"], c["same_gold"]) == (first["run_id"], second["run_id"], True)
    n_items = next(d for d in c["deltas"] if d["scope"] == "totaal" and d["metric"] == "n_items")
    assert (n_items["a"], n_items["b"], n_items["change"]) == (2, 3, 1)
    missing = client.get("/v1/evals/compare", params={"a": "bestaat-niet"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "run_not_found"
    assert "bestaat-niet" in missing.json()["error"]["message"]


def test_one_run_at_a_time(client: httpx.Client) -> None:
    body = {"gold": "werkplan.jsonl", "limit": 60}
    started = client.post("/v1/evals/jobs", json=body, headers=admin_headers())
    assert started.status_code == 202
    again = client.post("/v1/evals/jobs", json=body, headers=admin_headers())
    assert again.status_code == 409 and again.json()["error"]["code"] == "eval_running"
    assert wait_for_eval(client, started.json()["id"])["state"] == "done"
