"""The answer flow: check a question, route it, decide (answer, clarify, refuse), compose a cited reply.

``assistant.Assistant.answer`` is the one entry point. May import the rest of ``rag``.
"""
