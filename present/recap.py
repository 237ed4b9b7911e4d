"""The WhatsApp recap: plain Indonesian text for an office WhatsApp group, or for one OPD's
admin. Pure: it takes :class:`RecapFacts` (plain values) and returns the text.

WhatsApp formats ``*tebal*``, ``_miring_``, ``~coret~`` and backtick code, so every name that
comes from data goes through :func:`wa_safe` and cannot open or close any of them. The text is
never longer than :data:`LIMIT` characters, whatever the data: long names are shortened and the
lists are cut ("… dan 12 lainnya") until it fits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from core import fmt
from core.links import web_link
from core.timeutil import DEFAULT_TZ
from present.labels import STATUS_LABELS, platform_label

LIMIT = 3_500  # characters; WhatsApp shows longer messages folded behind "Baca selengkapnya"
NAME_CHARS = 60  # an OPD name or a handle longer than this is shortened with "…"
URL_CHARS = 200  # a longer link is left out rather than cut (a cut link opens nothing)
ELEMENT_WORDS = {
    "official": "pejabat",
    "activity": "kegiatan",
    "location": "lokasi",
    "time": "waktu",
    "attendees": "yang hadir",
}
STATUS_ORDER = ("active", "at_risk", "dormant", "unreadable", "no_data")
# the statuses an OPD's recap names as needing its admin's action: sending it reminds of them
REMINDING = ("dormant", "at_risk")
# an underscore between two letters or digits can neither open nor close WhatsApp italics
_LONE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_MARKERS = str.maketrans("", "", "*~`")


@dataclass(frozen=True)
class AccountFact:
    """One account as the recap names it, with its place in the month's ranking."""

    opd_name: str
    platform: str  # code, e.g. "instagram"
    handle: str
    status: str = "active"  # a metrics.activity status code
    rank: int | None = None
    rank_change: int | None = None  # places gained since last month (negative: lost)
    score: float | None = None
    account_id: int | None = None  # not shown; says which account a sent recap reminded


@dataclass(frozen=True)
class PostFact:
    """A post whose caption needs fixing."""

    opd_name: str
    platform: str
    posted_at: datetime
    missing: tuple[str, ...] = ()  # element codes, see ELEMENT_WORDS
    outside_rule: bool = False
    typos: int = 0
    jargon: int = 0
    no_caption: bool = False  # a post without any text
    url: str | None = None


@dataclass(frozen=True)
class ComplianceFact:
    """Caption compliance of the month's posts, in percent (NaN when unknown)."""

    posts: int
    complete_pct: float
    outside_pct: float
    clean_pct: float


@dataclass(frozen=True)
class RecapFacts:
    """Everything the recap says. ``opd_name`` set: the recap of that OPD for its admin."""

    month: str  # YYYY-MM
    as_of: datetime | None  # set while the month is still running
    regency: str  # e.g. "Kabupaten Sintang"
    sender: str  # who signs, e.g. "Bidang Komunikasi Publik Diskominfo Kabupaten Sintang"
    status_counts: Mapping[str, int]
    accounts: tuple[AccountFact, ...]  # the OPD's accounts (one-OPD recap), else unused
    ranked_total: int  # accounts with a place in the month's ranking
    compliance: ComplianceFact
    posts_to_fix: tuple[PostFact, ...]
    posts_to_fix_total: int
    dormant: tuple[AccountFact, ...] = ()
    top: tuple[AccountFact, ...] = ()
    movers_up: tuple[AccountFact, ...] = ()
    movers_down: tuple[AccountFact, ...] = ()
    is_demo: bool = False
    opd_name: str | None = None
    tz: ZoneInfo = field(default=DEFAULT_TZ)


@dataclass(frozen=True)
class Caps:
    """How many items each list shows; shrunk one step at a time until the text fits."""

    dormant: int = 12
    movers: int = 3
    fix: int = 8
    accounts: int = 12

    def shrink(self) -> Caps:
        """One fewer item in the longest list (the posts to fix go first on a tie)."""
        name = max(("fix", "dormant", "accounts", "movers"), key=lambda n: getattr(self, n))
        return replace(self, **{name: max(getattr(self, name) - 1, 0)})

    def exhausted(self) -> bool:
        return not (self.dormant or self.movers or self.fix or self.accounts)


def wa_safe(name: str, limit: int = NAME_CHARS) -> str:
    """``name`` on one line, without WhatsApp's ``*``, ``~`` and backtick markers nor an
    underscore that could start or end italics (``humas_sintang`` keeps its own), at most
    ``limit`` characters."""
    text = " ".join(str(name).translate(_MARKERS).split())
    text = _LONE_UNDERSCORE.sub("", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def recap_text(facts: RecapFacts) -> str:
    """The recap, at most :data:`LIMIT` characters."""
    return _fitted(facts)[0]


def reminded_accounts(facts: RecapFacts) -> tuple[AccountFact, ...]:
    """The accounts an OPD's recap names as dormant or needing attention (:data:`REMINDING`):
    sending that recap reminds its admin of them, and of no other account. An account cut from
    a long list ("… dan 2 lainnya") is not named."""
    if facts.opd_name is None:
        return ()
    caps = _fitted(facts)[1]
    return tuple(a for a in facts.accounts[: caps.accounts] if a.status in REMINDING)


def _fitted(facts: RecapFacts) -> tuple[str, Caps]:
    """The text within :data:`LIMIT` and the list lengths it shows."""
    caps = Caps()
    text = _compose(facts, caps)
    while len(text) > LIMIT and not caps.exhausted():
        caps = caps.shrink()
        text = _compose(facts, caps)
    return (text if len(text) <= LIMIT else _cut(text)), caps


def _cut(text: str) -> str:
    """A last resort that the shortened names make unreachable: whole lines only, so no bold
    span (always within one line) is left open."""
    kept = text[: LIMIT - 2].rsplit("\n", 1)[0]
    return f"{kept}\n…"


def _compose(facts: RecapFacts, caps: Caps) -> str:
    parts = [_heading(facts)]
    if facts.opd_name is None:
        parts += [
            _status_section(facts),
            _dormant_section(facts.dormant, caps.dormant),
            _top_section(facts),
            _movers_section(facts, caps.movers),
        ]
    else:
        parts.append(_accounts_section(facts, caps.accounts))
    parts += [_compliance_section(facts), _fix_section(facts, caps.fix), _closing(facts)]
    return "\n\n".join(part for part in parts if part)


def _period(facts: RecapFacts) -> str:
    title = f"*Rekap {fmt.month_name(facts.month)}*"
    if facts.as_of is None:
        return title
    return f"{title} (per {fmt.date_time(facts.as_of, facts.tz)})"


def _heading(facts: RecapFacts) -> str:
    lines = ["*DATA DEMO*: angka contoh, bukan data akun yang sebenarnya."] if facts.is_demo else []
    if facts.opd_name is None:
        lines.append(_period(facts))
        lines.append(f"Akun media sosial resmi OPD {wa_safe(facts.regency)}.")
        return "\n".join(lines)
    opd = wa_safe(facts.opd_name)
    lines.append(f"Yth. Admin {opd},")
    lines.append(f"berikut rekap akun media sosial resmi {opd} yang kami pantau.")
    lines.append("")
    lines.append(_period(facts))
    return "\n".join(lines)


def _status_section(facts: RecapFacts) -> str:
    counts = facts.status_counts
    total = sum(counts.values())
    shown = ", ".join(
        f"{STATUS_LABELS[status].lower()} {fmt.number(counts[status])}"
        for status in STATUS_ORDER
        if counts.get(status)
    )
    lines = [f"*Akun dipantau*: {fmt.number(total)} akun"]
    if shown:
        lines.append(f"- {shown[0].upper()}{shown[1:]}")
    return "\n".join(lines)


def _more(hidden: int, what: str = "lainnya") -> list[str]:
    return [f"… dan {fmt.number(hidden)} {what}"] if hidden > 0 else []


def _dormant_section(dormant: tuple[AccountFact, ...], cap: int) -> str:
    if not dormant:
        return "*Akun dorman*: tidak ada."
    by_opd: dict[str, list[str]] = {}  # by the whole name: two long names may start alike
    for account in dormant:
        platforms = by_opd.setdefault(" ".join(account.opd_name.split()), [])
        label = platform_label(account.platform)
        if label not in platforms:
            platforms.append(label)
    lines = [f"*Akun dorman*: {fmt.number(len(dormant))} akun di {fmt.number(len(by_opd))} OPD"]
    shown = list(by_opd.items())[:cap]
    lines += [f"- {wa_safe(opd)}: {', '.join(platforms)}" for opd, platforms in shown]
    lines += _more(len(by_opd) - len(shown), "OPD lainnya")
    return "\n".join(lines)


def _account_name(account: AccountFact) -> str:
    handle = wa_safe(account.handle)
    return f"{wa_safe(account.opd_name)} ({platform_label(account.platform)} {handle})"


def _top_section(facts: RecapFacts) -> str:
    if not facts.top:
        return "*Lima besar*: belum ada akun yang masuk peringkat."
    lines = ["*Lima besar*"]
    for account in facts.top[:5]:
        score = "" if account.score is None else f", indeks {fmt.number(account.score, 1)}"
        lines.append(f"{account.rank}. {_account_name(account)}{score}")
    return "\n".join(lines)


def _move(account: AccountFact) -> str:
    change = account.rank_change or 0
    way = "naik" if change > 0 else "turun"
    return (
        f"- {_account_name(account)}: {way} {fmt.number(abs(change))} peringkat, "
        f"kini ke-{account.rank}"
    )


def _movers_section(facts: RecapFacts, cap: int) -> str:
    if not (facts.movers_up or facts.movers_down):
        return "*Naik dan turun peringkat*: belum ada perbandingan dengan bulan lalu."
    lines = ["*Naik peringkat*"]
    lines += [_move(a) for a in facts.movers_up[:cap]] or ["- tidak ada"]
    lines += _more(len(facts.movers_up) - cap)
    lines.append("*Turun peringkat*")
    lines += [_move(a) for a in facts.movers_down[:cap]] or ["- tidak ada"]
    lines += _more(len(facts.movers_down) - cap)
    return "\n".join(lines)


def _account_line(account: AccountFact, ranked_total: int) -> str:
    status = STATUS_LABELS.get(account.status, account.status).lower()
    line = f"- {platform_label(account.platform)} {wa_safe(account.handle)}: {status}"
    if account.rank is not None:
        line += f", peringkat {account.rank} dari {fmt.number(ranked_total)}"
        if account.rank_change:
            way = "naik" if account.rank_change > 0 else "turun"
            line += f" ({way} {fmt.number(abs(account.rank_change))})"
    return line


def _accounts_section(facts: RecapFacts, cap: int) -> str:
    if not facts.accounts:
        return "*Akun yang dipantau*: belum ada."
    lines = [f"*Akun yang dipantau*: {fmt.number(len(facts.accounts))} akun"]
    lines += [_account_line(a, facts.ranked_total) for a in facts.accounts[:cap]]
    lines += _more(len(facts.accounts) - cap)
    return "\n".join(lines)


def _compliance_section(facts: RecapFacts) -> str:
    compliance = facts.compliance
    if compliance.posts <= 0:
        return f"*Kepatuhan caption*: belum ada unggahan pada {fmt.month_name(facts.month)}."
    return "\n".join(
        [
            f"*Kepatuhan caption*: {fmt.number(compliance.posts)} unggahan",
            f"- Lengkap lima unsur: {fmt.percent(compliance.complete_pct, 1)}",
            f"- Di luar arahan: {fmt.percent(compliance.outside_pct, 1)}",
            f"- Tanpa salah ketik dan istilah sulit: {fmt.percent(compliance.clean_pct, 1)}",
        ]
    )


def _what_to_fix(post: PostFact) -> str:
    if post.no_caption:
        return "tanpa keterangan"
    problems = []
    if set(post.missing) >= set(ELEMENT_WORDS):  # names nobody: outside the rule goes without
        problems.append("kelima unsur belum disebut")
    elif post.missing:
        words = [ELEMENT_WORDS.get(code, wa_safe(code, 20)) for code in post.missing]
        problems.append(f"belum menyebut {', '.join(words)}")
    if post.outside_rule and not set(post.missing) >= set(ELEMENT_WORDS):
        problems.append("kegiatan di luar arahan")
    if post.typos:
        problems.append(f"{fmt.number(post.typos)} salah ketik")
    if post.jargon:
        problems.append(f"{fmt.number(post.jargon)} istilah sulit")
    return "; ".join(problems) or "perlu diperiksa"


def _post_lines(post: PostFact, tz: ZoneInfo, with_opd: bool) -> list[str]:
    where = platform_label(post.platform)
    if with_opd:
        where = f"{wa_safe(post.opd_name)}, {where}"
    lines = [f"- {where}, {fmt.long_date(post.posted_at, tz)}: {_what_to_fix(post)}"]
    url = web_link(post.url)
    if url and len(url) <= URL_CHARS and _one_word(url):
        lines.append(f"  {_wa_safe_url(url)}")
    return lines


def _one_word(url: str) -> bool:
    return len(url.split()) == 1


def _wa_safe_url(url: str) -> str:
    """The same address with WhatsApp's markers percent-encoded (the server reads them alike)."""
    url = url.replace("*", "%2A").replace("~", "%7E").replace("`", "%60")
    return _LONE_UNDERSCORE.sub("%5F", url)


def _fix_section(facts: RecapFacts, cap: int) -> str:
    if facts.posts_to_fix_total <= 0:
        return "*Unggahan yang perlu diperbaiki*: tidak ada."
    lines = [f"*Unggahan yang perlu diperbaiki*: {fmt.number(facts.posts_to_fix_total)}"]
    shown = facts.posts_to_fix[:cap]
    for post in shown:
        lines += _post_lines(post, facts.tz, with_opd=facts.opd_name is None)
    lines += _more(facts.posts_to_fix_total - len(shown))
    return "\n".join(lines)


def _closing(facts: RecapFacts) -> str:
    sender = wa_safe(facts.sender, 2 * NAME_CHARS)
    if facts.opd_name is None:
        return f"Rincian lengkap ada di dasbor Pantau.\n_{sender}_"
    return (
        "Mohon unggahan di atas diperbaiki dan akun tetap rutin diperbarui. "
        f"Terima kasih atas kerja samanya.\n\nHormat kami,\n{sender}"
    )
