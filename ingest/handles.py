"""Platform names and account handles as people type them, made canonical."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, urlsplit

from db.models import PLATFORMS
from ingest.issues import IssueError

PLATFORM_ALIASES: dict[str, str] = {
    "instagram": "instagram", "ig": "instagram", "insta": "instagram",
    "facebook": "facebook", "fb": "facebook",
    "youtube": "youtube", "yt": "youtube",
    "tiktok": "tiktok", "tt": "tiktok",
    "x": "x", "twitter": "x",
    "website": "website", "web": "website", "situs": "website", "wordpress": "website",
    "rss": "website", "blog": "website",
}  # fmt: skip

# Hosts (without www./m./mobile./web.) that host profiles of each platform.
HOSTS: dict[str, tuple[str, ...]] = {
    "instagram": ("instagram.com", "instagr.am"),
    "facebook": ("facebook.com", "fb.com"),
    "youtube": ("youtube.com",),
    "tiktok": ("tiktok.com",),
    "x": ("x.com", "twitter.com"),
}
_HOST_PREFIXES = ("www.", "m.", "mobile.", "web.")

# Allowed characters (after lower-casing) and length bounds, from each platform's own rules.
_RULES: dict[str, tuple[str, int, int]] = {
    "instagram": ("a-z0-9._", 1, 30),
    "tiktok": ("a-z0-9._", 2, 24),
    "x": ("a-z0-9_", 1, 15),
    "facebook": ("a-z0-9.-", 1, 100),
    "youtube": ("a-z0-9._-", 3, 100),
}
_CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")
_HOST_NAME = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+(:\d{1,5})?")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# First path segments that are site pages, not profiles.
_NOT_PROFILES = {
    "instagram": {"p", "reel", "reels", "explore", "stories", "tv", "accounts"},
    "x": {"i", "home", "search", "intent", "hashtag", "explore", "share"},
    "facebook": {"groups", "events", "watch", "share", "photo.php", "story.php", "sharer.php"},
    "youtube": {"watch", "shorts", "playlist", "results", "embed"},
}


def normalise_platform(text: str) -> str:
    """``IG``, ``Twitter``, ``situs`` … -> one of PLATFORMS; ValueError for unknown names."""
    key = text.strip().lower()
    if key not in PLATFORM_ALIASES:
        raise IssueError("unknown_platform", value=text.strip(), choices=", ".join(PLATFORMS))
    return PLATFORM_ALIASES[key]


def normalise_handle(platform: str, text: str) -> tuple[str, str | None]:
    """``(handle, canonical_url)`` from a handle, ``@handle`` or profile URL.

    Raises ValueError (an IssueError with a code) naming why the handle is unusable.
    """
    platform = normalise_platform(platform)
    value = text.strip()
    if not value:
        raise IssueError("handle_empty", platform=platform)
    if platform == "website":
        return _website(value)
    if _looks_like_url(value):
        return _from_url(platform, value)
    return _finish(platform, value.lstrip("@").rstrip("/"), value)


def states_scheme(text: str) -> bool:
    """Whether ``text`` starts with a scheme (``http://``, ``https://`` …), i.e. says which one."""
    return _SCHEME.match(text.strip()) is not None


def export_text(platform: str, handle: str, url: str | None) -> str:
    """The text to write for an account so that importing it gives back exactly ``(handle,
    url)``: the handle when it does (``dinkes.sintang``, ``sintangkab.go.id``), otherwise the
    URL (``http://…`` sites, names that read as addresses such as ``x.com``)."""
    for text in (handle, url):
        if text:
            try:
                if normalise_handle(platform, text) == (handle, url):
                    return text
            except IssueError:
                continue
    return handle  # stored by older code: importing the handle keeps the stored url


def _bare_host(host: str) -> str:
    host = host.lower().split(":")[0]
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def _looks_like_url(value: str) -> bool:
    if states_scheme(value):
        return True
    first = value.split("/", 1)[0]
    known = {h for hosts in HOSTS.values() for h in hosts}
    return _bare_host(first) in known or ("/" in value and "." in first)


def _split_url(value: str, platform: str) -> SplitResult:
    try:
        return urlsplit(value if states_scheme(value) else "https://" + value)
    except ValueError:  # "Invalid IPv6 URL": a lone "[" or "]" (found by the fuzzed imports)
        raise IssueError("handle_wrong_site", value=value, platform=platform) from None


def _from_url(platform: str, value: str) -> tuple[str, str | None]:
    parts = _split_url(value, platform)
    if _bare_host(parts.netloc) not in HOSTS[platform]:
        raise IssueError("handle_wrong_site", value=value, platform=platform)
    segments = [s for s in parts.path.split("/") if s]
    name = _profile_segment(platform, segments, parse_qs(parts.query))
    if name is None or name.lower() in _NOT_PROFILES.get(platform, set()):
        raise IssueError("handle_not_profile", value=value, platform=platform)
    return _finish(platform, name, value)


def _profile_segment(platform: str, segments: list[str], query: dict[str, list[str]]) -> str | None:
    """The path part naming the profile, or None when the URL names no profile."""
    if not segments:
        return None
    first = segments[0]
    if platform == "facebook":
        if first == "profile.php":
            return query.get("id", [None])[0]
        if first in ("pages", "people"):
            return next((s for s in reversed(segments) if s.isdigit()), None)
    if platform == "youtube":
        if first in ("c", "user", "channel"):
            return segments[1] if len(segments) > 1 else None
        return first if first.startswith("@") else None
    if platform == "tiktok":
        return first if first.startswith("@") else None
    return first


def _finish(platform: str, name: str, original: str) -> tuple[str, str | None]:
    """Validate a bare name and build the canonical URL."""
    name = name.lstrip("@")
    if platform == "youtube" and _CHANNEL_ID.fullmatch(name):
        return name, f"https://www.youtube.com/channel/{name}"  # ids are case-sensitive
    if platform == "facebook" and name.isascii() and name.isdigit():
        return name, f"https://www.facebook.com/profile.php?id={name}"
    handle = name.lower()
    _check_chars(platform, handle, original)
    urls = {
        "instagram": f"https://www.instagram.com/{handle}/",
        "facebook": f"https://www.facebook.com/{handle}",
        "youtube": f"https://www.youtube.com/@{handle}",
        "tiktok": f"https://www.tiktok.com/@{handle}",
        "x": f"https://x.com/{handle}",
    }
    return handle, urls[platform]


def _check_chars(platform: str, handle: str, original: str) -> None:
    allowed, low, high = _RULES[platform]
    if any(c.isspace() for c in handle):
        raise IssueError("handle_spaces", value=original, platform=platform)
    bad = sorted(set(re.sub(f"[{allowed}]", "", handle)))
    if bad:
        chars = " ".join(bad)
        raise IssueError("handle_chars", value=original, platform=platform, chars=chars)
    if not low <= len(handle) <= high:
        raise IssueError("handle_length", value=original, platform=platform, low=low, high=high)


def _website(value: str) -> tuple[str, str]:
    """Host plus path, lower-cased, without scheme or trailing slash; url keeps http://."""
    if any(c.isspace() for c in value):
        raise IssueError("handle_spaces", value=value, platform="website")
    scheme = "http" if value.lower().startswith("http://") else "https"
    parts = _split_url(value, "website")
    host = parts.netloc.lower()
    if not _HOST_NAME.fullmatch(host):
        raise IssueError("handle_wrong_site", value=value, platform="website")
    handle = (host + parts.path).rstrip("/").lower()
    return handle, f"{scheme}://{handle}"
