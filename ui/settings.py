"""The UI's own few settings: where it serves and which API it talks to (``KIS_UI_*``, ``KIS_API_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class UiSettings(BaseSettings):
    """Read by the Streamlit app and by ``kis ui``; the UI needs nothing else of the product's settings."""

    model_config = SettingsConfigDict(env_prefix="KIS_", env_file=".env", extra="ignore")

    ui_host: str = "127.0.0.1"
    ui_port: int = 8501
    ui_api_url: str | None = Field(
        default=None, description="Base URL of the API for the UI; default: api_host and api_port."
    )
    ui_timeout_seconds: float = Field(default=60.0, description="How long the UI waits for an answer.")
    api_host: str = "127.0.0.1"
    api_port: int = 8000

    @property
    def api_base_url(self) -> str:
        return self.ui_api_url or f"http://{self.api_host}:{self.api_port}"
