"""A document to read, one section at a time, with the cited passage marked where it stands.

Reached from every source card ("Lees het in het document") and every "not found" pointer, by the
URL (``bronnen?document=…&start=…&end=…`` or ``bronnen?passage=…``), and from the Bronnen page.
"""

from __future__ import annotations

import streamlit as st

from ui.client import Json
from ui.components import api, shows_problems
from ui.format import contacts_line, plain


def requested() -> tuple[str | None, int | None, int | None]:
    """The document and span the URL asks for; a passage id stands for its document and span."""
    params = st.query_params
    if passage := params.get("passage"):
        source = api().source(str(passage))
        return str(source["doc_id"]), int(source["start"]), int(source["end"])
    start, end = params.get("start"), params.get("end")
    if start is not None and end is not None and str(start).isdigit() and str(end).isdigit():
        return params.get("document"), int(start), int(end)
    return params.get("document"), None, None


def render_reader(documents: list[Json]) -> None:
    st.subheader("Document lezen")
    titles = {str(d["id"]): str(d["title"]) for d in documents if d["chunks"]}
    if not titles:
        st.info("Er is nog geen geïndexeerd document om te lezen.")
        return
    with shows_problems():
        wanted, start, end = requested()
        ids = list(titles)
        doc_id = st.selectbox(
            "Document",
            ids,
            index=ids.index(wanted) if wanted in ids else 0,
            format_func=lambda i: titles[i],
            key=f"lezen-{wanted}",
        )
        marked = doc_id == wanted and start is not None
        view = api().document(doc_id, start if marked else None, end if marked else None)
        sections = [str(s["section"]) for s in view["sections"]]
        at = next(i for i, s in enumerate(view["sections"]) if s["start"] == view["section"]["start"])
        chosen = st.selectbox(
            "Sectie",
            range(len(sections)),
            index=at,
            format_func=lambda i: sections[i],
            key=f"sectie-{doc_id}",
        )
        if chosen != at:
            view = api().document(doc_id, section=int(chosen))
        _show(view)


def _show(view: Json) -> None:
    facts = [str(view["kind"])]
    if view.get("authors"):
        facts.append("door " + ", ".join(str(a) for a in view["authors"]))
    if view.get("published"):
        facts.append(f"gepubliceerd {view['published']}")
    if view.get("modified"):
        facts.append(f"bijgewerkt {view['modified']}")
    shown = [plain(f) for f in facts]
    if view.get("contacts"):
        shown.append(f"contact: {contacts_line(view['contacts'])}")
    st.caption(" · ".join(shown))
    url = str(view.get("url") or "")
    if url.startswith(("http://", "https://")):
        st.markdown(f"[Open het origineel ↗]({url})")
    text, mark = str(view["text"]), view.get("highlight")
    with st.container(border=True):
        st.markdown(f"**{plain(str(view['section']['section']))}**")
        if mark:
            start, end = int(mark["start"]), int(mark["end"])
            st.markdown(
                f"{plain(text[:start])}<mark><strong>{plain(text[start:end])}</strong></mark>{plain(text[end:])}",
                unsafe_allow_html=True,
            )
        else:
            st.markdown(plain(text))
