"""``/v1/budget``: the budget records of the loaded index, filtered, with totals and audit findings.

Totals are the ones the tables state (never sums made here); with an organisation they are that
organisation's subtotals. The audit findings say where the printed figures do not add up.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import AssistantDep
from api.errors import ApiError, ErrorResponse
from api.models import BudgetResponse
from rag.budget.store import BudgetStore

ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}}
router = APIRouter(tags=["begroting"], responses=ERRORS)


@router.get("/budget", response_model=BudgetResponse)
def budget(
    assistant: AssistantDep,
    project: Annotated[int | None, Query(ge=1, le=99, description="Projectnummer.")] = None,
    onderdeel: Annotated[str | None, Query(pattern="^[A-Ea-e]$", description="Onderdeel A–E.")] = None,
    organisation: Annotated[str | None, Query(max_length=100, description="Bv. 'Movisie'.")] = None,
) -> BudgetResponse:
    """Begrotingsregels (filter op project, onderdeel of organisatie), hun totalen en de rekencontrole.
    Een project en een onderdeel samen geven 422: kies er één."""
    if project is not None and onderdeel is not None:
        raise ApiError(422, "validation_error", "Kies een project óf een onderdeel, niet allebei.")
    scope_kind, scope = None, None
    if project is not None:
        scope_kind, scope = "project", str(project)
    elif onderdeel is not None:
        scope_kind, scope = "onderdeel", onderdeel.upper()
    store = BudgetStore(assistant.index.paths.budget)  # the loaded build's records; cheap to open
    rows = store.rows(scope_kind=scope_kind, scope=scope, organisation=organisation)
    if organisation is None:
        totals = store.rows(scope_kind=scope_kind, scope=scope, row_kind="total")
    else:
        totals = [row for row in rows if row.row_kind == "subtotal"]
    return BudgetResponse(rows=rows, totals=totals, findings=store.findings(scope_kind, scope))
