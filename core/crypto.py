"""Encryption of tokens that must be stored (TikTok refresh tokens, Page tokens).

Fernet (AES-128-CBC + HMAC-SHA256) from the ``cryptography`` package. The key comes from
``PANTAU_SECRET_KEY``: either a Fernet key (``python cli.py`` users can make one with
``python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'``)
or any passphrase of 32+ characters, stretched with SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.fernet import Fernet, InvalidToken

MIN_PASSPHRASE = 32


class SecretKeyError(ValueError):
    """The encryption key is missing, too weak, or not the one the data was sealed with."""


def fernet_for(secret_key: str) -> Fernet:
    if not secret_key:
        raise SecretKeyError("PANTAU_SECRET_KEY is not set; tokens cannot be stored encrypted.")
    try:
        if len(base64.urlsafe_b64decode(secret_key.encode())) == 32:
            return Fernet(secret_key.encode())
    except (binascii.Error, ValueError):
        pass
    if len(secret_key) < MIN_PASSPHRASE:
        raise SecretKeyError(
            f"PANTAU_SECRET_KEY must be a Fernet key or at least {MIN_PASSPHRASE} characters."
        )
    digest = hashlib.sha256(secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(secret_key: str, plaintext: str) -> str:
    return fernet_for(secret_key).encrypt(plaintext.encode()).decode()


def decrypt(secret_key: str, ciphertext: str) -> str:
    try:
        return fernet_for(secret_key).decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise SecretKeyError("a stored token cannot be decrypted with PANTAU_SECRET_KEY") from exc
