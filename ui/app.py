"""The Streamlit front end (``kis ui``): four pages over the API, which it reaches over HTTP only."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.views import budget, chat, evaluation, sources

# Served by the app itself: an icon name or emoji would be fetched from a font host or CDN on
# every page load, which offline fails and online tells a third party about every visit.
STATIC = Path(__file__).with_name("static")
FAVICON = STATIC / "favicon.png"


def main() -> None:
    st.set_page_config(page_title="KIS Kennisassistent", page_icon=str(FAVICON), layout="wide")
    # the page's language, readable captions and announced answers (WCAG 2.1 AA); both files are ours
    st.html(f"<style>{(STATIC / 'page.css').read_text(encoding='utf-8')}</style>")
    st.html(
        f"<script>{(STATIC / 'page.js').read_text(encoding='utf-8')}</script>", unsafe_allow_javascript=True
    )
    pages = [
        st.Page(chat.render, title="Chat", icon=":material/chat:", url_path="chat", default=True),
        st.Page(budget.render, title="Begroting", icon=":material/euro:", url_path="begroting"),
        st.Page(evaluation.render, title="Evaluatie", icon=":material/monitoring:", url_path="evaluatie"),
        st.Page(sources.render, title="Bronnen", icon=":material/library_books:", url_path="bronnen"),
    ]
    st.navigation(pages).run()


main()
