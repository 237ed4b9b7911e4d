"""The worker's logs: one JSON object per line, rotated, with every secret masked.

Masking happens on the finished line (message, arguments and traceback alike), so no code
path can log a token by accident: the configured secret values are replaced, and so are the
usual shapes of credentials in URLs and headers.
"""

from __future__ import annotations

import json
import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core.redact import Redactor, secret_values
from core.settings import PROJECT_ROOT, Settings

LOG_FILE = "worker.log"
MAX_BYTES = 5_000_000
BACKUPS = 5
# httpx logs full request URLs at INFO; APScheduler two lines per job run, which the 30-second
# new-accounts check would turn into thousands a day (worker_jobs records every run anyway)
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler.executors.default")
EXTRA_FIELDS = ("job", "platform", "event")


class JsonFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return self.redact(json.dumps(entry, ensure_ascii=False, default=str))


class PlainFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


def log_path(settings: Settings) -> Path:
    folder = Path(settings.log_dir)
    return (folder if folder.is_absolute() else PROJECT_ROOT / folder) / LOG_FILE


def setup_logging(settings: Settings, stream: bool = True) -> Path:
    """Send the root logger to the rotated JSON file (and plain lines to stderr)."""
    path = log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    redact = Redactor(secret_values(settings))
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    file_handler = RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    file_handler.setFormatter(JsonFormatter(redact))
    root.addHandler(file_handler)
    if stream:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(PlainFormatter(redact))
        root.addHandler(console)
    root.setLevel(logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return path
