"""The Streamlit front end. It reaches the product over HTTP only and imports no other package of the
project; its few settings are its own (``ui.settings``).
"""
