"""The simulator's OAuth memory: consent grants, their codes and tokens, and revocations.

Kept in ``SimState`` so the in-process transport and the loopback server share one book.
Time is the caller's ``now`` in Unix seconds: the OAuth handlers pass the world's clock
(``SimWorld.now``), so tests move it like every other simulated time and never read the wall
clock. Codes are random (``secrets``), single use and live ``CODE_SECONDS``.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

CODE_SECONDS = 10 * 60

# why a code or token is refused
UNKNOWN, USED, EXPIRED, REVOKED, REDIRECT = "unknown", "used", "expired", "revoked", "redirect"


@dataclass(eq=False)
class Grant:
    """One consent: who allowed which app, for which accounts, with which scopes."""

    provider: str  # meta | tiktok | google
    client_id: str
    redirect_uri: str
    handles: tuple[str, ...]  # the accounts the person chose on the consent page
    scopes: tuple[str, ...]
    user_id: str
    challenge: str | None = None  # PKCE (Google)
    challenge_method: str = "plain"
    revoked: bool = False


@dataclass(eq=False)
class _Code:
    grant: Grant
    issued_at: float
    used: bool = False
    expired: bool = False


@dataclass(frozen=True)
class IssuedToken:
    grant: Grant
    kind: str  # user (Meta) | access | refresh (Google)
    issued_at: float
    expires_in: int | None  # None: does not expire

    @property
    def expires_at(self) -> int:
        """Unix seconds; 0 for a token without expiry (as Meta's debug_token says it)."""
        return 0 if self.expires_in is None else int(self.issued_at) + self.expires_in


@dataclass
class OAuthBook:
    _codes: dict[str, _Code] = field(default_factory=dict)
    _tokens: dict[str, IssuedToken] = field(default_factory=dict)
    _revoked: set[str] = field(default_factory=set)  # derived tokens (Page, TikTok) withdrawn
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue_code(self, grant: Grant, now: float, prefix: str) -> str:
        code = prefix + secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = _Code(grant, now)
        return code

    def redeem(
        self,
        code: str,
        redirect_uri: str,
        now: float,
        check: Callable[[Grant], str | None] | None = None,
    ) -> tuple[Grant | None, str | None]:
        """``(grant, None)`` and the code is spent, or ``(None, why)``: unknown, used,
        expired, redirect (differs from the authorize one) or what ``check`` says (PKCE).
        A refused redirect or check leaves the code unspent, as a retry may fix it."""
        with self._lock:
            found = self._codes.get(code)
            if found is None:
                return None, UNKNOWN
            if found.used:
                return None, USED
            if found.expired or now - found.issued_at > CODE_SECONDS:
                return None, EXPIRED
            if redirect_uri != found.grant.redirect_uri:
                return None, REDIRECT
            problem = check(found.grant) if check else None
            if problem is not None:
                return None, problem
            found.used = True
            return found.grant, None

    def expire_codes(self) -> None:
        """Test hook: every code issued so far is expired (the browser test's "expired code")."""
        with self._lock:
            for code in self._codes.values():
                code.expired = True

    def issue_token(
        self, grant: Grant, kind: str, now: float, expires_in: int | None, prefix: str
    ) -> str:
        token = prefix + secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = IssuedToken(grant, kind, now, expires_in)
        return token

    def lookup(self, token: str, now: float) -> tuple[IssuedToken | None, str | None]:
        """The token issued under this value and ``None``, or why it is refused."""
        with self._lock:
            found = self._tokens.get(token)
        if found is None:
            return None, UNKNOWN
        if found.grant.revoked:
            return found, REVOKED
        if found.expires_in is not None and now > found.issued_at + found.expires_in:
            return found, EXPIRED
        return found, None

    def live_grant(self, token: str | None, provider: str, now: float) -> Grant | None:
        """The consent behind a live access token of ``provider``; None if dead or unknown."""
        if not token:
            return None
        found, problem = self.lookup(token, now)
        if found is None or problem is not None or found.kind != "access":
            return None
        return found.grant if found.grant.provider == provider else None

    def revoke(self, grant: Grant | None, derived: Iterable[str] = ()) -> None:
        """Withdraw a consent: its issued tokens die, and so do ``derived`` tokens (the Page or
        TikTok tokens the simulator derives from account handles)."""
        with self._lock:
            if grant is not None:
                grant.revoked = True
            self._revoked.update(derived)

    def restore(self, derived: Iterable[str]) -> None:
        """A new consent brings back derived tokens an earlier revoke withdrew."""
        with self._lock:
            self._revoked.difference_update(derived)

    def is_revoked(self, token: str | None) -> bool:
        with self._lock:
            return token is not None and token in self._revoked

    def latest_grant(self, provider: str, handle: str) -> Grant | None:
        """The newest live consent of ``provider`` that includes ``handle``."""
        wanted = handle.lower()
        with self._lock:
            grants = [t.grant for t in self._tokens.values()]
        live = [g for g in grants if g.provider == provider and not g.revoked]
        return next((g for g in reversed(live) if wanted in {h.lower() for h in g.handles}), None)
