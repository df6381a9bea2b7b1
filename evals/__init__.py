"""Evaluation harness: gold sets, metrics, runs through any answerer, reports, history and a gate.

Entry points: ``evals.cli.make_eval_app`` (the ``kis eval`` commands), ``evals.runner.run_gold``
(run a ``GoldSet`` through an ``AnswerFn``), ``evals.api_client.http_answer_fn`` (an AnswerFn over
HTTP). Matching and metric rules are documented in ``evals.textmatch`` and ``evals.metrics``.
"""
