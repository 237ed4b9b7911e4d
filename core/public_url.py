"""The dashboard's public address (``PANTAU_PUBLIC_URL``): where platforms send an owner back
after consent and where invite links point. Https, except on the machine itself."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_base_url(public_url: str, host: str, port: str) -> str:
    """The address without a trailing slash; unset: the local address the dashboard listens
    on. ValueError (its message names the setting) for an unusable one."""
    url = public_url.strip().rstrip("/")
    if not url:
        listens_everywhere = host in ("0.0.0.0", "::", "")  # noqa: S104  # nosec B104
        return f"http://{'127.0.0.1' if listens_everywhere else host}:{port}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        example = "https://pantau.example.go.id"
        raise ValueError(f"PANTAU_PUBLIC_URL: expected an address such as {example}, got {url!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError("PANTAU_PUBLIC_URL: use https (http only on 127.0.0.1 or localhost)")
    return url
