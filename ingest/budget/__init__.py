"""The work plan's budget tables read into exact records (``rag.budget.records``), and their audit.

May import ``rag`` only.
"""
