"""``python -m kis``: the ``kis`` command, for deployments without the console script."""

from kis.cli import app

app()
