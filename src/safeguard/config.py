"""One Settings object, read from SAFEGUARD_* environment variables (and a .env file)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me"


class Settings(BaseSettings):
    """Configuration of a safeguard deployment. Every field is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="SAFEGUARD_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", description="development, test or production"
    )
    database_url: str = Field(
        "sqlite:///var/safeguard.db",
        description="SQLAlchemy URL of the operational store (SQLite file or PostgreSQL)",
    )
    secret_key: str = Field(
        DEVELOPMENT_SECRET, description="Key that signs form tokens and audit checkpoints"
    )
    data_dir: Path = Field(Path("var"), description="Where the embedded store and outputs live")
    host: str = Field("127.0.0.1", description="Address `safeguard serve` listens on")
    port: int = Field(8000, description="Port `safeguard serve` listens on")
    token_ttl_days: int = Field(90, description="Days an API token stays valid")
    audit_checkpoint_every: int = Field(
        100, ge=1, description="Sign an audit checkpoint at least every this many entries"
    )
    audit_checkpoint_minutes: float = Field(
        10.0,
        gt=0,
        description="Sign an audit checkpoint on the first entry after this many minutes "
        "without one (also signed on every `audit verify` and at shutdown)",
    )
    max_upload_mb: float = Field(
        50,
        gt=0,
        description="Largest request body (an uploaded agency file) the server accepts, in MB; "
        "a larger one is refused with 413 while it streams in",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma list of reverse-proxy addresses whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed (empty: none; sign-in limits key on the real peer)",
    )
    smtp_host: str = Field(
        "",
        description="SMTP server that e-mails escalated alerts to each MASH's named manager "
        "(empty: no e-mail; the manager's inbox on the platform always gets the notification)",
    )
    smtp_port: int = Field(25, description="Port of the SMTP server")
    smtp_from: str = Field(
        "safeguard@localhost", description="Sender address of the platform's e-mails"
    )
    smtp_starttls: bool = Field(
        False, description="Upgrade the SMTP connection with STARTTLS before sending"
    )

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError(
                "SAFEGUARD_SECRET_KEY is still the development default; set a long random "
                "secret before running in production"
            )
        if self.environment == "production" and len(self.secret_key) < 32:
            raise ValueError("SAFEGUARD_SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
