"""``/v1/feedback``: a thumbs up or down on an answer; the list (admin) as JSON or CSV."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from api.deps import AdminDep, StoreDep
from api.errors import ApiError, ErrorResponse
from api.models import FeedbackOut, FeedbackRequest

router = APIRouter(prefix="/feedback", tags=["feedback"], responses={422: {"model": ErrorResponse}})

CSV_FIELDS = list(FeedbackOut.model_fields)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Comments are user text: a leading formula character must not run in a spreadsheet."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA) else value


@router.post("", response_model=FeedbackOut, status_code=201, responses={404: {"model": ErrorResponse}})
def give_feedback(body: FeedbackRequest, store: StoreDep) -> FeedbackOut:
    """Beoordeel een antwoord (`message_id` uit /v1/chat); een nieuwe beoordeling vervangt de vorige."""
    turn = store.turn(body.message_id)
    if turn is None:
        raise ApiError(
            404, "message_not_found", "Dit antwoord bestaat niet (meer); feedback is niet opgeslagen."
        )
    return FeedbackOut.model_validate(store.save_feedback(turn, body.rating, body.comment))


@router.get(
    "",
    response_model=list[FeedbackOut],
    dependencies=[AdminDep],
    responses={
        200: {"content": {"text/csv": {}}},
        401: {"model": ErrorResponse},
        403: {"model": ErrorResponse},
    },
)
def list_feedback(
    store: StoreDep,
    rating: Literal["up", "down"] | None = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
    format: Literal["json", "csv"] = "json",
) -> Response | list[FeedbackOut]:
    """Alle feedback, nieuwste eerst (beheerderssleutel); `?format=csv` voor een export."""
    rows = [FeedbackOut.model_validate(row) for row in store.feedback(rating, limit)]
    if format == "json":
        return rows
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in row.model_dump(mode="json").items()} for row in rows)
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="feedback.csv"'},
    )
