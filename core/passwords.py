"""Password hashing with Argon2id, bounded, and the strength check for new passwords.

Argon2id parameters are argon2-cffi's defaults (RFC 9106's second recommendation):
``time_cost=3``, ``memory_cost=65536`` KiB (64 MiB), ``parallelism=4``, 16-byte salt, 32-byte
hash. Each hash or verification allocates its 64 MiB while it runs (C memory, freed at once),
so N at a time cost N x 64 MiB. At most :data:`MAX_AT_ONCE` run at once: one per CPU, at
least 2 and at most 4 (each is CPU-bound and already uses up to 4 threads, so more at once
would only take memory), i.e. 128-256 MiB; on the 2-core server 2 (128 MiB), about 0.2 s each
on an idle machine. A caller that cannot get a slot within :data:`WAIT_FOR_SLOT` seconds gets
:class:`HasherBusy` ("coba lagi sebentar") instead of queueing without end, so a flood of
sign-in attempts costs neither unbounded memory nor unbounded waiting threads.

Strength: at least :data:`MIN_LENGTH` characters, not containing the user name, and a zxcvbn
score of at least :data:`MIN_SCORE` (zxcvbn knows common passwords, names, words, keyboard
patterns, repeats and dates; :data:`LOCAL_WORDS` adds this office's own).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable", about 10^8 guesses or more
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; its cost grows fast with length
MAX_AT_ONCE = max(2, min(4, os.cpu_count() or 2))
WAIT_FOR_SLOT = 2.0  # seconds: several verifications' time, short enough to answer a person
_SLOTS = threading.BoundedSemaphore(MAX_AT_ONCE)
# zxcvbn's lists are English: the words someone guessing at this office tries first are added
# (the product, the regency, the office, Indonesian for "password" and "secret")
LOCAL_WORDS = ("pantau", "sintang", "kominfo", "diskominfo", "humas", "admin", "masuk", "sandi",
               "katasandi", "rahasia", "indonesia", "bismillah")  # fmt: skip
_ZXCVBN_LOCK = threading.Lock()  # zxcvbn keeps the user inputs in a module-level dictionary
_HASHER = PasswordHasher()
# verified against when a user does not exist, so a wrong name costs as long as a wrong password
_DUMMY_HASH = _HASHER.hash("pantau-no-such-user")
SHORT, HAS_NAME, GUESSABLE = "short", "has_name", "guessable"


class WeakPassword(ValueError):
    """The password is too short or too plain; the message says why (English, for the CLI),
    ``kind`` which rule it broke (:data:`SHORT`, :data:`HAS_NAME`, :data:`GUESSABLE`)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class HasherBusy(RuntimeError):
    """Every Argon2 slot stayed taken for :data:`WAIT_FOR_SLOT` seconds: try again shortly."""


def check_strength(password: str, username: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(SHORT, f"use at least {MIN_LENGTH} characters")
    if username and username.lower() in password.lower():
        raise WeakPassword(HAS_NAME, "the password must not contain the user name")
    with _ZXCVBN_LOCK:
        result = zxcvbn(password[:ZXCVBN_MAX], user_inputs=[username, *LOCAL_WORDS])
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "add more unusual words"
        raise WeakPassword(GUESSABLE, f"too easy to guess ({hint.rstrip('.')}); "
                           "use several unrelated words")  # fmt: skip


@contextmanager
def _slot() -> Iterator[None]:
    if not _SLOTS.acquire(timeout=WAIT_FOR_SLOT):
        raise HasherBusy("too many password checks at once")
    try:
        yield
    finally:
        _SLOTS.release()


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``; :class:`HasherBusy` when no slot is free in time."""
    with _slot():
        return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing or damaged hash is a mismatch, never an error.
    :class:`HasherBusy` when no slot is free in time."""
    with _slot():
        try:
            return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
