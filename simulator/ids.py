"""Stable, realistic-looking platform identifiers derived from a name (no randomness)."""

from __future__ import annotations

import hashlib

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
B64URL = ALNUM + "-_"


def _number(seed: str) -> int:
    return int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")


def digits(seed: str, count: int) -> str:
    """``count`` decimal digits derived from ``seed``."""
    return str(_number(seed) % 10**count).zfill(count)


def letters(seed: str, count: int, alphabet: str = ALNUM) -> str:
    """``count`` characters of ``alphabet`` derived from ``seed``."""
    value = _number(seed)
    out = []
    for _ in range(count):
        value, index = divmod(value, len(alphabet))
        out.append(alphabet[index])
    return "".join(out)


def hex_digest(seed: str, count: int = 32) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:count]


def platform_id(platform: str, handle: str) -> str:
    """The account's id as the platform spells it (always a string)."""
    seed = f"{platform}:{handle.lower()}"
    if platform == "instagram":
        return "178414" + digits(seed, 11)
    if platform == "facebook":
        return "1044" + digits(seed, 11)
    if platform == "youtube":
        return "UC" + letters(seed, 22, B64URL)
    if platform == "tiktok":
        return "-000" + letters(seed, 32)
    if platform == "x":
        return "1" + digits(seed, 18)
    return handle  # website: the domain is the identity
