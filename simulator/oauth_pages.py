"""The fake consent pages (HTML) of the simulator's OAuth dialogs, and their error pages.

Stable hooks for browser tests (Playwright):

- the form: ``form#sim-consent`` (method GET, back to the same authorize path, every original
  query parameter kept as a hidden field);
- the requested scopes: ``ul#sim-scopes > li`` (one per scope, its name as text);
- each account: ``input[name=sim_accounts]`` with ``value`` = the account's handle, id
  ``sim-account-<n>`` and a ``<label for=…>`` holding the account's name; checkboxes on the
  Facebook page (any number of Pages), radio buttons on TikTok and Google (the first is chosen);
- the buttons ``button#sim-allow`` ("Izinkan") and ``button#sim-deny`` ("Tolak"), both named
  ``sim_decision`` with values ``allow`` / ``deny``.

Every value that reaches the page is escaped with ``html.escape``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from simulator.http import SimResponse

HTML_TYPE = "text/html; charset=UTF-8"
APP_NAME = "Pantau (simulator)"


@dataclass(frozen=True)
class Choice:
    handle: str
    name: str
    detail: str  # a second line: the handle, a linked Instagram account, a channel id


@dataclass(frozen=True)
class Consent:
    brand: str  # Facebook | TikTok | Google
    path: str  # the authorize path the form submits to
    hidden: tuple[tuple[str, str], ...]  # the original query parameters
    scopes: tuple[str, ...]
    choices: tuple[Choice, ...]
    multiple: bool  # checkboxes (Meta: several Pages) or radio buttons (one account)
    prompt: str  # the question above the list


def title(brand: str) -> str:
    return f"Simulator {brand}: Masuk dan izinkan Pantau"


def _document(brand: str, body: str) -> str:
    heading = escape(title(brand))
    return (
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{heading}</title></head><body><h1>{heading}</h1>{body}</body></html>"
    )


def _response(status: int, page: str) -> SimResponse:
    return SimResponse(status, page.encode("utf-8"), {"content-type": HTML_TYPE})


def _choice_html(index: int, choice: Choice, multiple: bool) -> str:
    kind = "checkbox" if multiple else "radio"
    checked = " checked" if not multiple and index == 0 else ""
    ident = f"sim-account-{index}"
    return (
        f'<li><input type="{kind}" name="sim_accounts" id="{ident}" '
        f'value="{escape(choice.handle)}"{checked}> '
        f'<label for="{ident}">{escape(choice.name)}</label> '
        f"<small>{escape(choice.detail)}</small></li>"
    )


def consent_page(consent: Consent) -> SimResponse:
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in consent.hidden
    )
    scopes = "".join(f"<li>{escape(scope)}</li>" for scope in consent.scopes)
    if consent.choices:
        items = "".join(
            _choice_html(i, choice, consent.multiple) for i, choice in enumerate(consent.choices)
        )
        accounts = f'<ul id="sim-accounts">{items}</ul>'
    else:
        accounts = '<p id="sim-no-accounts">Tidak ada akun yang dapat dipilih.</p>'
    body = (
        f"<p>{escape(APP_NAME)} meminta izin berikut:</p>"
        f'<ul id="sim-scopes">{scopes}</ul>'
        f'<form id="sim-consent" method="get" action="{escape(consent.path)}">{hidden}'
        f"<p>{escape(consent.prompt)}</p>{accounts}"
        '<button type="submit" id="sim-allow" name="sim_decision" value="allow">Izinkan</button> '
        '<button type="submit" id="sim-deny" name="sim_decision" value="deny">Tolak</button>'
        "</form>"
    )
    return _response(200, _document(consent.brand, body))


def error_page(brand: str, message: str, status: int = 400) -> SimResponse:
    """What the platform shows instead of a consent when the request itself is wrong."""
    body = f'<p id="sim-error">{escape(message)}</p>'
    return _response(status, _document(brand, body))
