"""Bronnen: what the assistant knows — the websites and when they were last crawled, the documents and
their index state — and retrieval on its own.

The search shows the ranked passages exactly as retrieval returns them, without an answer, so an
editor can see why a question finds (or misses) a passage.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.client import Json
from ui.components import api, shows_problems
from ui.format import moment, number, plain
from ui.views.reader import render_reader

ALL = "Alle"


def _documents(listing: Json) -> None:
    build = listing.get("build")
    if build:
        st.caption(
            f"Actieve index {build['id']} (gebouwd {build['created']}, embedder {build['embedder']}), "
            f"{number(build['chunks'])} passages."
        )
    else:
        st.warning("Er is nog geen index geladen: de documenten zijn (nog) niet doorzoekbaar.")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Titel": d["title"],
                    "Soort": d["kind"],
                    "Uitgever": d["publisher"],
                    "Jaar": str(d["year"] or "–"),
                    "Herkomst": d["origin"],
                    "Indexstatus": d["status"],
                    "Passages": number(d["chunks"]),
                }
                for d in listing["documents"]
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={"Herkomst": st.column_config.LinkColumn("Herkomst")},
    )


def _span(dates: Json | None) -> str:
    if not dates:
        return "–"
    return dates["first"] if dates["first"] == dates["last"] else f"{dates['first']} – {dates['last']}"


def _crawl(last: Json | None) -> tuple[str, str]:
    """When a site was last crawled, and what that crawl did."""
    if last is None:
        return "nog niet", "–"
    f = last["figures"]
    did = (
        f"{number(f['fetched'])} opgehaald: {number(f['new'])} nieuw, {number(f['changed'])} gewijzigd, "
        f"{number(f['unchanged'])} ongewijzigd; {number(f['removed'])} verwijderd, "
        f"{number(f['failed'])} mislukt"
    )
    return moment(last["finished"]), did


def _sites(sources: list[Json]) -> None:
    """Each configured website: its last crawl, its pages in the index and their dates."""
    st.subheader(f"Websites ({len(sources)})")
    if not sources:
        st.caption("Er zijn geen websites ingesteld om te crawlen (corpus/sources.toml).")
        return
    rows = []
    for site in sources:
        when, did = _crawl(site["last_crawl"])
        rows.append(
            {
                "Bron": site["name"],
                "Laatst gecrawld": when,
                "Pagina's in de index": number(site["pages"]),
                "Gepubliceerd": _span(site["published"]),
                "Bijgewerkt": _span(site["modified"]),
                "Laatste crawl": did,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _hit(hit: Json) -> None:
    with st.container(border=True):
        st.markdown(f"**{hit['rank']}. {plain(str(hit['title']))}**")
        where = [f"Sectie: {plain(str(hit['section']))}", f"score {number(hit['score'], 4)}"]
        if hit.get("project"):
            where.append(f"project {hit['project']}")
        if hit.get("page"):
            where.append(f"pagina {hit['page']}")
        st.caption(" · ".join(where))
        st.markdown(plain(str(hit["text"])))
        if str(hit["url"]).startswith(("http://", "https://")):
            st.markdown(f"[Open de bron ↗]({hit['url']})")


def _search(kinds: list[str]) -> None:
    st.subheader("Zoeken in de index")
    st.caption("Alleen ophalen, geen antwoord: de passages zoals de zoekstap ze rangschikt.")
    with st.form("zoeken"):
        query = st.text_input("Zoekvraag", placeholder="Bijv. polarisatie in het onderwijs")
        left, middle, right = st.columns(3)
        with left:
            k = st.number_input("Aantal passages", min_value=1, max_value=50, value=8, step=1)
        with middle:
            kind = st.selectbox("Soort document", [ALL, *kinds])
        with right:
            project = st.selectbox("Project", [ALL, *range(1, 15)], format_func=str)
        submitted = st.form_submit_button("Zoeken")
    if submitted and query.strip():
        with shows_problems():
            st.session_state["search_result"] = api().search(
                query,
                k=int(k),
                kind=None if kind == ALL else str(kind),
                project=None if project == ALL else int(project),
            )
    result: Json | None = st.session_state.get("search_result")
    if result is not None:
        hits = result["hits"]
        st.markdown(f"**{len(hits)} passage{'s' if len(hits) != 1 else ''} voor “{plain(result['query'])}”**")
        for hit in hits:
            _hit(hit)


def render() -> None:
    st.title("Bronnen")
    kinds: list[str] = []
    with shows_problems():
        listing = api().documents()
        opened = any(key in st.query_params for key in ("document", "passage"))
        if opened:  # reached from a citation or a pointer: the document first
            render_reader(listing["documents"])
        _sites(listing["sources"])
        st.subheader(f"Documenten ({len(listing['documents'])})")
        _documents(listing)
        kinds = sorted({str(d["kind"]) for d in listing["documents"]})
        if not opened:
            render_reader(listing["documents"])
    _search(kinds)
