"""Evaluatie: the gold-set runs for evaluators — history, trends, failing items, new runs, comparisons.

Everything comes from ``/v1/evals``; starting a run needs the admin key, typed here and sent only
with that request. Trend lines use both colour and point shape, and their data is listed as well.
"""

from __future__ import annotations

import time

import altair as alt
import pandas as pd
import streamlit as st

from ui.client import ApiProblem, Json
from ui.components import api, shows_problems
from ui.format import moment, number, percent, plain
from ui.metric_names import METRICS, explanation, name_of

TREND_METRICS = ("pass_rate", "status_ok", "answer_correct", "recall_at_5", "citation_support")
POLL_SECONDS = 0.5
WAIT_AT_MOST_S = 900.0


def metric(name: str, value: float | None) -> str:
    """As ``kis eval`` shows it: counts whole, latencies in seconds, rates as percentages."""
    if value is None:
        return "–"
    if name.startswith("n_"):
        return number(value)
    return f"{number(value, 2)} s" if name.endswith("_s") else percent(value)


def change(name: str, value: float | None) -> str:
    """A difference as its metric counts: whole items, seconds, or percentage points."""
    if value is None:
        return "–"
    if name.startswith("n_"):
        return f"{round(value):+d}"
    if name.endswith("_s"):
        return f"{value:+.2f} s".replace(".", ",")
    return f"{value * 100:+.1f} procentpunt".replace(".", ",")


def _run_label(run: Json) -> str:
    return f"{run['run_id']}" + (f" ({run['label']})" if run["label"] else "")


def _runs_table(runs: list[Json]) -> None:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Run": r["run_id"],
                    "Label": r["label"] or "–",
                    "Gestart": moment(r["started_at"]),
                    "Gold": r["gold_file"],
                    "Bron": r["source"],
                    "Items": r["n_items"],
                    **{name_of(m): metric(m, r["metrics"].get(m)) for m in TREND_METRICS},
                }
                for r in runs
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={name_of(m): st.column_config.TextColumn(help=explanation(m)) for m in TREND_METRICS},
    )
    with st.expander("Wat betekenen de metrieken?"):
        st.markdown("\n".join(f"- **{name}**: {line}" for name, line in METRICS.values()))


def _trends(runs: list[Json]) -> None:
    """Metrics over the runs of one gold file, oldest first; each run one point on the axis."""
    golds = list(dict.fromkeys(r["gold_file"] for r in runs))
    gold = st.selectbox(
        "Verloop op gold-bestand", golds, help="Alleen runs op hetzelfde bestand zijn vergelijkbaar."
    )
    chosen = [r for r in reversed(runs) if r["gold_file"] == gold]
    data = pd.DataFrame(
        [
            {
                "Moment": f"{moment(r['started_at'])} · {r['run_id'][:6]}",
                "Run": _run_label(r),
                "Metriek": name_of(m),
                "Waarde": r["metrics"].get(m),
            }
            for r in chosen
            for m in TREND_METRICS
            if r["metrics"].get(m) is not None
        ]
    )
    if data.empty:
        return
    chart = (
        alt.Chart(data, title=f"Metrieken per run op {gold}")
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True))
        .encode(
            x=alt.X("Moment:O", title="Gestart (lokale tijd)", sort=None, axis=alt.Axis(labelAngle=-30)),
            y=alt.Y("Waarde:Q", title="Waarde (0–1)", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("Metriek:N", title="Metriek"),
            shape=alt.Shape("Metriek:N", title="Metriek"),
            strokeDash=alt.StrokeDash("Metriek:N", title="Metriek"),
            tooltip=["Run:N", "Metriek:N", alt.Tooltip("Waarde:Q", format=".2f")],
        )
    )
    st.altair_chart(chart, width="stretch")


def _turn_details(turn: Json, n: int, of: int) -> None:
    prefix = f"Beurt {n}: " if of > 1 else ""
    st.markdown(f"**{prefix}Vraag:** {plain(str(turn['question']))}")
    expected = ", ".join(turn.get("expected") or []) or "–"
    st.markdown(f"**Verwacht:** status *{turn['expect_status']}*; moet bevatten: {plain(expected)}")
    got = plain(str(turn.get("answer") or "")) or "–"
    st.markdown(f"**Gekregen:** status *{turn.get('status') or 'geen'}*: {got}")
    if turn.get("missing"):
        st.markdown(f"**Ontbreekt:** {plain(', '.join(turn['missing']))}")
    if turn.get("problems"):
        st.markdown(f"**Problemen (bronnen, leesbaarheid):** {plain('; '.join(turn['problems']))}")
    if turn.get("options_offered"):
        st.markdown(f"**Aangeboden opties:** {plain('; '.join(turn['options_offered']))}")
    if turn.get("error"):
        st.error(f"Fout: {turn['error']}")
    cited = turn.get("citations") or []
    st.markdown("**Geciteerde passages:**" + ("" if cited else " geen"))
    for passage in cited:
        st.markdown(f"- {plain(str(passage))}")


def _drill_down(runs: list[Json]) -> None:
    st.subheader("Mislukte items van een run")
    chosen = st.selectbox("Run", [r["run_id"] for r in runs], format_func=lambda i: _label_of(runs, i))
    with shows_problems():
        detail = api().eval_run(str(chosen))
        items = {item["id"]: item for item in detail["run"]["items"]}
        failures = [items[item_id] for item_id in detail["failures"]]
        st.download_button(
            "Rapport van deze run (HTML)",
            api().eval_report(str(chosen)),
            file_name=f"rapport-{chosen}.html",
            mime="text/html",
            icon=":material/download:",
        )
        left, middle, right = st.columns(3)
        kinds = left.multiselect(
            "Soort", sorted({str(i["kind"]) for i in failures}), placeholder="Alle soorten"
        )
        languages = middle.multiselect(
            "Taal", sorted({str(i["language"]) for i in failures}), placeholder="Beide talen"
        )
        outcomes = right.multiselect(
            "Uitkomst", sorted({str(i["outcome"]) for i in failures}), placeholder="Alle uitkomsten"
        )
        shown = [
            i
            for i in failures
            if (not kinds or i["kind"] in kinds)
            and (not languages or i["language"] in languages)
            and (not outcomes or i["outcome"] in outcomes)
        ]
        st.markdown(f"{len(failures)} van {len(items)} items niet geslaagd; {len(shown)} getoond.")
        for item in shown:
            with st.expander(f"{item['id']} ({item['kind']}, {item['language']}): {item['question'][:90]}"):
                for n, turn in enumerate(item["turns"], start=1):
                    _turn_details(turn, n, len(item["turns"]))


def _label_of(runs: list[Json], run_id: str) -> str:
    return next((_run_label(r) for r in runs if r["run_id"] == run_id), run_id)


def _compare(runs: list[Json]) -> None:
    """Two runs side by side; by default only a run on the same gold file can be B, since the
    figures of different question sets do not compare."""
    st.subheader("Twee runs vergelijken")
    if len(runs) < 2:
        st.info("Vergelijken kan zodra er twee runs zijn.")
        return
    gold_of = {r["run_id"]: r["gold_file"] for r in runs}
    left, right = st.columns(2)
    with left:
        a = str(
            st.selectbox("Run A (voor)", list(gold_of), index=1, format_func=lambda i: _label_of(runs, i))
        )
        other_gold = st.checkbox("Ook runs op een ander gold-bestand")
    candidates = [i for i in gold_of if i != a and (other_gold or gold_of[i] == gold_of[a])]
    if not candidates:
        st.info(f"Er is geen andere run op {gold_of[a]}.")
        return
    with right:
        b = str(st.selectbox("Run B (na)", candidates, format_func=lambda i: _label_of(runs, i)))
    with shows_problems():
        c = api().eval_compare(a, b)
        if not c["same_gold"]:
            st.error(
                f"Deze runs gebruiken verschillende gold-bestanden ({gold_of[a]} en {gold_of[b]}): de "
                "verschillen zeggen niets over beter of slechter.",
                icon=":material/warning:",
            )
        rows = [d for d in c["deltas"] if d["scope"] == "totaal" or (d["regression"] and c["same_gold"])]
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Scope": d["scope"],
                        "Metriek": name_of(d["metric"]),
                        "A": metric(d["metric"], d["a"]),
                        "B": metric(d["metric"], d["b"]),
                        "Verschil": change(d["metric"], d["change"]),
                        "Achteruitgang": "ja ⚠" if d["regression"] and c["same_gold"] else "nee",
                    }
                    for d in rows
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        if c["same_gold"]:
            st.markdown(f"**Nu mislukt:** {', '.join(c['newly_failed']) or '–'}")
            st.markdown(f"**Nu geslaagd:** {', '.join(c['newly_passed']) or '–'}")


def _follow(job_id: str) -> None:
    """Poll the job until it ends, showing its progress; the page reruns afterwards to show the run."""
    bar = st.progress(0.0, text="Evaluatie gestart…")
    deadline = time.monotonic() + WAIT_AT_MOST_S
    while time.monotonic() < deadline:
        try:
            job = api().eval_job(job_id)
        except ApiProblem as problem:
            st.error(problem.message)
            return
        total, done = int(job["total"]), int(job["done"])
        fraction = done / total if total else 0.0
        bar.progress(
            fraction, text=f"{done} van {total} items beantwoord ({percent(fraction)}). {job['message']}"
        )
        if job["state"] in ("done", "failed"):
            st.session_state["eval_job_result"] = job
            st.session_state.pop("eval_job", None)
            st.rerun()
        time.sleep(POLL_SECONDS)
    st.info("De run loopt nog; ververs de pagina om de voortgang te zien.")


def _start(golds: list[Json]) -> None:
    st.subheader("Nieuwe run starten")
    with st.form("eval-start"):
        names = [g["name"] for g in golds]
        largest = max(range(len(golds)), key=lambda i: int(golds[i]["items"]), default=0)
        gold = st.selectbox("Gold-bestand", names, index=largest, format_func=lambda n: _gold_label(golds, n))
        label = st.text_input("Label (optioneel)", max_chars=100, placeholder="Bijv. baseline")
        limit = st.number_input("Alleen de eerste N items (0 = alle)", min_value=0, max_value=10_000, value=0)
        key = st.text_input("Beheerderssleutel", type="password")
        started = st.form_submit_button("Run starten")
    if started:
        with shows_problems():
            job = api().start_eval(str(gold), key, label=label, limit=int(limit) or None)
            st.session_state["eval_job"] = job["id"]
            st.session_state.pop("eval_job_result", None)
    if job_id := st.session_state.get("eval_job"):
        _follow(str(job_id))
    if result := st.session_state.get("eval_job_result"):
        if result["state"] == "done":
            st.success(result["message"], icon=":material/check_circle:")
        else:
            st.error(f"De run is mislukt: {result['message']}")


def _gold_label(golds: list[Json], name: str) -> str:
    gold = next((g for g in golds if g["name"] == name), None)
    if gold is None:
        return name
    problems = f", {len(gold['issues'])} problemen" if gold["issues"] else ""
    return f"{name} ({gold['items']} items{problems})"


def render() -> None:
    st.title("Evaluatie")
    st.caption("Runs van de gold-set: hoe goed de assistent antwoordt, en of dat beter of slechter wordt.")
    with shows_problems():
        runs = api().eval_runs()
        st.subheader(f"Runs ({len(runs)})")
        if not runs:
            st.info("Nog geen evaluatieruns vastgelegd. Start hieronder een run, of gebruik 'kis eval run'.")
        else:
            _runs_table(runs)
            _trends(runs)
            _drill_down(runs)
            _compare(runs)
    with shows_problems():
        _start(api().gold_files())
