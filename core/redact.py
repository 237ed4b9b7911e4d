"""Masking secrets in text that leaves Pantau (logs of the worker and the dashboard).

Masking works on the finished text: the configured secret values are replaced, and so are the
usual shapes of credentials in URLs and headers, so no code path can leak a token by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.settings import REDACTED, Settings

MIN_SECRET_LENGTH = 4
_PATTERNS = (
    (
        re.compile(
            r"(?i)\b(access_token|refresh_token|client_secret|client_key|key|password|"
            r"token|fb_exchange_token)=([^&\s\"']+)"
        ),
        rf"\1={REDACTED}",
    ),
    (re.compile(r"(?i)\bBearer\s+[A-Za-z0-9._~+/=-]+"), f"Bearer {REDACTED}"),
    (re.compile(r"://([^:/@\s]+):([^@/\s]+)@"), rf"://\1:{REDACTED}@"),
)


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        values = {s for s in secrets if len(s) >= MIN_SECRET_LENGTH}
        self.secrets = sorted(values, key=len, reverse=True)  # longest first: no partial leak

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


def secret_values(settings: Settings) -> list[str]:
    """The values of every secret setting (tokens, keys, passwords)."""
    env_names = {k for k, v in settings.redacted().items() if v == REDACTED}
    return [getattr(settings, f.name) for f in settings.__dataclass_fields__.values()
            if f.metadata["env"] in env_names]  # fmt: skip
