"""``python -m api``: the same as ``kis serve``, for deployments without the console script."""

from api.main import serve

serve()
