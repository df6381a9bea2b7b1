"""The app's pages, each a ``render()`` that ``ui.app`` hands to ``st.navigation``."""
