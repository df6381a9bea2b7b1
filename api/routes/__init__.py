"""One router per resource; ``api.main`` mounts them under ``/v1`` (health and metrics at the root)."""
