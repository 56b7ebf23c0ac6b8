"""Runtime configuration: one pydantic-settings class, built in the entry point and passed down."""

from __future__ import annotations

import socket
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class TelegramLibrary(StrEnum):
    PTB = "ptb"
    AIOGRAM = "aiogram"


class TelegramMode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


DEFAULT_DATABASE_URL = "sqlite:///./ecoclic.sqlite3"


def default_database_url() -> str:
    """SQLite file in the working directory: embedded, nothing to start."""
    return DEFAULT_DATABASE_URL


class Settings(BaseSettings):
    """Every setting is read from an `ECOCLIC_`-prefixed environment variable (or a `.env` file)."""

    model_config = SettingsConfigDict(env_prefix="ECOCLIC_", env_file=".env", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    # This process's stable name (ECOCLIC_INSTANCE): restarted, it takes back at once the
    # notifications it was sending. Give each process its own when several share a database.
    instance: str = Field(default_factory=socket.gethostname, min_length=1, max_length=64)
    default_locale: str = "fr"
    timezone: str = "Europe/Paris"

    telegram_token: SecretStr | None = None
    telegram_library: TelegramLibrary = TelegramLibrary.PTB
    telegram_mode: TelegramMode = TelegramMode.POLLING
    telegram_api_server: str = "https://api.telegram.org"
    webhook_secret: SecretStr | None = None
    # Outbound pacing (Telegram Bot FAQ: ~30 messages/s overall, ~1/s per chat after a short burst).
    telegram_flood_global: int = Field(default=30, ge=1)
    telegram_flood_chat_rate: float = Field(default=1.0, gt=0)
    telegram_flood_chat_burst: int = Field(default=3, ge=1)

    # Matrix (Tchap): the channel starts when the four first are set. One token and its device are
    # reused at every start (no password login). The store keeps the encryption keys.
    matrix_homeserver: str | None = None
    matrix_user_id: str | None = None
    matrix_access_token: SecretStr | None = None
    matrix_device_id: str | None = None
    matrix_store: Path | None = None  # default: matrix-store/ beside the SQLite file, or here
    # Tchap's guidance for bots: about one call per second per room; a global cap for the bot.
    matrix_room_rate: float = Field(default=1.0, gt=0)
    matrix_room_burst: int = Field(default=3, ge=1)
    matrix_global_rate: int = Field(default=10, ge=1)

    web_host: str = "127.0.0.1"
    web_port: int = 8000
    public_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr | None = None

    admins: Annotated[list[int], NoDecode] = Field(default_factory=list)
    # People who write nothing for this many months are warned, then erased a month later (GDPR
    # storage limitation; stated in the privacy notice). At least 2: the warning comes a month before.
    retention_months: int = Field(default=24, ge=2, le=120)

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        """Accept `ECOCLIC_ADMINS=123,456` as well as a JSON list."""
        if isinstance(value, int):
            return [value]
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return value
            return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        return value

    def matrix_missing(self) -> list[str]:
        """The Matrix variables still missing when some are set ([] when none or all are)."""
        values = {
            "ECOCLIC_MATRIX_HOMESERVER": self.matrix_homeserver,
            "ECOCLIC_MATRIX_USER_ID": self.matrix_user_id,
            "ECOCLIC_MATRIX_ACCESS_TOKEN": self.matrix_access_token,
            "ECOCLIC_MATRIX_DEVICE_ID": self.matrix_device_id,
        }
        missing = [name for name, value in values.items() if not value]
        return [] if len(missing) == len(values) else missing

    @property
    def matrix_enabled(self) -> bool:
        return bool(self.matrix_homeserver and not self.matrix_missing())

    def matrix_store_path(self) -> Path:
        """Where the encryption keys live: the setting, else beside the SQLite database file."""
        if self.matrix_store is not None:
            return self.matrix_store
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :]).parent / "matrix-store"
        return Path("matrix-store")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """Reminder hours are computed in this zone: an unknown name must fail at start-up."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                "ECOCLIC_TIMEZONE : fuseau horaire inconnu (ex. Europe/Paris)"
            ) from exc
        return value

    @field_validator("telegram_api_server", "public_url", "matrix_homeserver")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @field_validator("webhook_secret")
    @classmethod
    def _check_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram accepts 1-256 characters of A-Z a-z 0-9 _ - as secret_token."""
        if value is None:
            return None
        raw = value.get_secret_value()
        allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        if not 1 <= len(raw) <= 256 or not set(raw) <= allowed:
            raise ValueError("ECOCLIC_WEBHOOK_SECRET: 1 à 256 caractères parmi A-Z a-z 0-9 _ -")
        return value
