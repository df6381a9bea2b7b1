"""Begroting: the budget tables of the work plan, filtered, charted, with the arithmetic audit.

Amounts are the ones the tables print (the API never sums); charts show those same figures, each
with its data as a table beside it, so nothing is told by colour or shape alone. The question box
goes through the chat answerer, which cites the lines it used.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from ui.client import Json
from ui.components import Answer, api, show_answer, shows_problems, stream_answer
from ui.format import euro, number

WHOLE, BY_ONDERDEEL, BY_PROJECT = "Hele programma", "Onderdeel", "Project"
ALL_ORGANISATIONS = "Alle organisaties"
MISSING = "–"  # what a table does not print: a dash, not Streamlit's grey "None"
ROW_KINDS = {
    "line": "regel",
    "stafkosten": "stafkosten",
    "overhead": "overhead",
    "subtotal": "totaal organisatie",
    "external": "externe kosten",
    "total": "totaal",
}


@st.cache_data(ttl=60, show_spinner=False)
def _budget(
    base_url: str, project: int | None = None, onderdeel: str | None = None, organisation: str | None = None
) -> Json:
    """Cached per filter for a minute: the figures change only with a new index build."""
    del base_url  # part of the cache key: another API, other figures
    return api().budget(project, onderdeel, organisation)


def _scope_label(row: Json) -> str:
    kind, scope = str(row["scope_kind"]), str(row["scope"])
    return {
        "project": f"Project {scope}",
        "onderdeel": f"Onderdeel {scope}",
        "overzicht": f"Totaaloverzicht {scope}",
        "programma": "Programma",
        "aanvulling": f"Aanvulling: {scope}",
        "basis": f"Basisbedrag {scope}",
    }.get(kind, f"{kind} {scope}")


def onderdeel_names(rows: list[Json]) -> dict[str, str]:
    """'A' → 'A Ontwikkeling en benutting van kennis', from the overview table's printed rows."""
    names = {}
    for row in rows:
        if row["scope_kind"] == "overzicht" and re.fullmatch("[A-E]", str(row["scope"])):
            names[str(row["scope"])] = re.sub(r"[\s\d.€]+$", "", str(row["source"])).strip()
    return names


def _lines_table(rows: list[Json]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Bereik": _scope_label(r),
                "Organisatie": r["organisation"] or MISSING,
                "Rol": r["role"] or MISSING,
                "Soort": ROW_KINDS.get(str(r["row_kind"]), str(r["row_kind"])),
                "Tarief (€)": r["rate"],
                "Uren": r["hours"],
                "Bedrag (€)": r["amount"],
                "Regel": r["line"],
            }
            for r in rows
        ]
    )


# Figures stay numbers, so a column sorts as numbers (€ 99.970 below € 121.461) and aligns right;
# the browser writes them in its own notation (Dutch in a Dutch browser).
_NUMBERS = {
    name: st.column_config.NumberColumn(name, format="localized")
    for name in ("Tarief (€)", "Uren", "Bedrag (€)")
}
# Dutch thousands on chart axes: 40.000, not 40,000.
_DUTCH_AXIS = "replace(format(datum.value, ',d'), /,/g, '.')"
BAR_STEP = 28  # pixels a bar takes, whatever the number of bars: labels never overprint


def _bar_chart(
    labels: list[str], values: list[Any], category: str, value: str, title: str, money: bool = True
) -> None:
    """A horizontal bar chart with its figures as a table under it (for screen readers and exact values)."""
    if not labels:
        return
    data = pd.DataFrame({category: _distinct(labels), value: values})
    shown = data.assign(Weergave=[euro(v) if money else number(v) for v in data[value]])
    chart = (
        alt.Chart(shown, title=title)
        .mark_bar(color="#1f4e79")
        .encode(
            x=alt.X(
                f"{value}:Q",
                title=f"{value} ({'€' if money else 'uren'})",
                axis=alt.Axis(labelExpr=_DUTCH_AXIS, tickCount=4),
            ),
            y=alt.Y(f"{category}:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
            tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip("Weergave:N", title=value)],
        )
        .properties(height=alt.Step(BAR_STEP))
    )
    chart = chart + chart.mark_text(align="left", dx=4, color="#222222").encode(text="Weergave:N")
    st.altair_chart(chart.configure_view(strokeWidth=0), width="stretch")
    with st.expander(f"Gegevens: {title.lower()}"):
        column = st.column_config.NumberColumn(f"{value} ({'€' if money else 'uren'})", format="localized")
        st.dataframe(data, hide_index=True, column_config={value: column}, placeholder=MISSING)


def _distinct(labels: list[str]) -> list[str]:
    """Each bar its own label: two bars under one label would be drawn on one line."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _charts(everything: Json, view: Json, organisation: str | None) -> None:
    totals = everything["totals"]
    projects = sorted((r for r in totals if r["scope_kind"] == "project"), key=lambda r: int(str(r["scope"])))
    onderdelen = [r for r in totals if r["scope_kind"] == "onderdeel"]
    left, right = st.columns(2)
    with left:
        _bar_chart(
            [f"Project {r['scope']}" for r in projects],
            [r["amount"] for r in projects],
            "Project",
            "Bedrag",
            "Budget per project",
        )
    with right:
        _bar_chart(
            [f"Onderdeel {r['scope']}" for r in onderdelen],
            [r["amount"] for r in onderdelen],
            "Onderdeel",
            "Bedrag",
            "Budget per onderdeel",
        )
    rows = view["rows"]
    primary = "programma" if any(r["scope_kind"] == "programma" for r in rows) else None
    in_scope = [r for r in rows if primary is None or r["scope_kind"] == primary]
    subtotals = [r for r in in_scope if r["row_kind"] == "subtotal" and r["organisation"]]
    lines = [r for r in in_scope if r["row_kind"] == "line" and r["hours"] is not None]
    left, right = st.columns(2)
    with left:
        _bar_chart(
            [f"{r['organisation']} ({_scope_label(r)})" for r in subtotals],
            [r["amount"] for r in subtotals],
            "Organisatie",
            "Bedrag",
            "Budget per organisatie",
        )
    with right:
        _bar_chart(
            [f"{r['role']} – {r['organisation']} ({_scope_label(r)})" for r in lines],
            [r["hours"] for r in lines],
            "Rol",
            "Uren",
            "Uren per rol" + (f" bij {organisation}" if organisation else ""),
            money=False,
        )


def _findings(view: Json, everything: Json) -> None:
    printed = {int(r["line"]): str(r["source"]) for r in everything["rows"] + everything["totals"]}
    findings = view["findings"]
    st.subheader(f"Rekencontrole: {len(findings)} bevinding{'en' if len(findings) != 1 else ''}")
    if not findings:
        st.success("In deze selectie tellen de gedrukte bedragen en uren op.", icon=":material/check_circle:")
        return
    st.caption("Waar de gedrukte tabellen niet optellen; 'Regel' is het regelnummer in de brontekst.")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Bereik": _scope_label(f),
                    "Regel": f["line"],
                    "Bevinding": f["message"],
                    "Verwacht": number(f["expected"]),
                    "Gedrukt": number(f["found"]),
                    "Zoals gedrukt op die regel": printed.get(int(f["line"]), "–"),
                }
                for f in findings
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def _question_box() -> None:
    st.subheader("Vraag het de assistent")
    with st.form("begroting-vraag"):
        question = st.text_input(
            "Vraag over de begroting", placeholder="Bijv. Hoeveel uur werkt Movisie aan project 3?"
        )
        asked = st.form_submit_button("Vraag")
    if asked and question.strip():
        st.session_state["budget_answer"] = stream_answer(question, None, None)
    answer: Answer | None = st.session_state.get("budget_answer")
    if answer is not None:
        with st.container(border=True):
            show_answer(answer, f"begroting-{answer.message_id or 'x'}")


def _filters(everything: Json) -> tuple[dict[str, Any], str | None]:
    names = onderdeel_names(everything["rows"] + everything["totals"])
    projects = sorted({int(str(r["scope"])) for r in everything["totals"] if r["scope_kind"] == "project"})
    organisations = sorted({str(r["organisation"]) for r in everything["rows"] if r["organisation"]})
    left, middle, right = st.columns(3)
    with left:
        view = st.radio("Bekijk", [WHOLE, BY_ONDERDEEL, BY_PROJECT], horizontal=True)
    params: dict[str, Any] = {}
    with middle:
        if view == BY_ONDERDEEL:
            params["onderdeel"] = st.selectbox(
                "Onderdeel", list(names) or list("ABCDE"), format_func=lambda k: names.get(k, k)
            )
        elif view == BY_PROJECT:
            params["project"] = st.selectbox("Project", projects, format_func=lambda p: f"Project {p}")
    with right:
        chosen = st.selectbox("Organisatie", [ALL_ORGANISATIONS, *organisations])
    organisation = None if chosen == ALL_ORGANISATIONS else chosen
    return params, organisation


def render() -> None:
    st.title("Begroting 2026")
    st.caption("De bedragen zoals de tabellen van het werkplan ze drukken, in euro's.")
    base = api().base_url
    with shows_problems():
        everything = _budget(base)
        params, organisation = _filters(everything)
        view = _budget(base, organisation=organisation, **params)
        headline = [
            r
            for r in view["totals"]
            if (params and r["scope_kind"] in ("project", "onderdeel"))
            or (not params and r["scope_kind"] == "programma")
        ]
        if headline:
            label = "Totaal" + (f" {organisation}" if organisation else "")
            st.metric(
                label,
                euro(headline[0]["amount"]),
                help=f"Regel {headline[0]['line']}: {headline[0]['source']}",
            )
        st.subheader("Totalen")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Bereik": _scope_label(r),
                        "Organisatie": r["organisation"] or MISSING,
                        "Bedrag (€)": r["amount"],
                        "Regel": r["line"],
                        "Zoals gedrukt": r["source"],
                    }
                    for r in view["totals"]
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config=_NUMBERS,
            placeholder=MISSING,
        )
        st.subheader("Begrotingsregels")
        st.dataframe(
            _lines_table(view["rows"]),
            hide_index=True,
            width="stretch",
            column_config=_NUMBERS,
            placeholder=MISSING,
        )
        st.subheader("Grafieken")
        _charts(everything, view, organisation)
        _findings(view, everything)
    _question_box()
