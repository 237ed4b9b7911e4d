"""Which demo accounts exist and how each one behaves (posting habit, audience, captions)."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from core.settings import PROJECT_ROOT
from demo.voice import fictional_name

OPD_CSV = PROJECT_ROOT / "data" / "opd-sintang.csv"
PLATFORMS = ("instagram", "facebook", "youtube", "tiktok", "x", "website")
AUDIENCE = {  # current audience range per platform
    "instagram": (300, 15_000),
    "facebook": (500, 25_000),
    "youtube": (50, 3_000),
    "tiktok": (100, 20_000),
    "x": (50, 2_000),
}
HABIT_SHARES = {  # share of the non-website accounts with each posting habit
    "daily": 0.12,
    "frequent": 0.22,  # two or three posts a week
    "weekly": 0.16,
    "irregular": 0.09,  # bursts around events, silent weeks in between
    "fading": 0.12,  # frequent a year ago, rare now
    "dormant": 0.14,  # last post 2-8 months ago
    "revived": 0.08,  # silent for months, active again lately
    "never": 0.07,  # registered and followed, never posted on
}
WEBSITE_HABITS = ("weekly", "irregular", "frequent", "fading")
PROMINENT = frozenset(
    ("PROKOPIM", "SETDA", "DINKES", "DISDIKBUD", "RSUD", "DISKOMINFO", "BPBD", "SATPOLPP")
)
QUIET_HABITS = frozenset(("dormant", "never", "fading"))
X_MAX_SLUG = 10  # "demo_" + slug must fit X's 15 characters


@dataclass(frozen=True)
class OpdRow:
    code: str
    name: str
    category: str

    @property
    def slug(self) -> str:
        """``dinkes``, ``kecsepauk``: the code in lower case without hyphens."""
        return self.code.lower().replace("-", "")


@dataclass(frozen=True)
class AccountPlan:
    """One demo account and the traits that drive its synthetic history."""

    opd: OpdRow
    platform: str
    handle: str
    habit: str
    audience_now: int  # audience at the end of the history, before viral jumps (0: website)
    trend: str  # growing | jump | flat | shrinking
    change: float  # relative audience change over the whole history
    propensity: float  # chance that a caption follows the guidance


def read_opds(path: Path = OPD_CSV) -> list[OpdRow]:
    """Every OPD of the registry file, in file order (platform columns ignored)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [OpdRow(r["opd_code"], r["opd_name"], r["category"]) for r in csv.DictReader(fh)]
    return list({r.code: r for r in rows}.values())


def handle_for(opd: OpdRow, platform: str) -> str:
    if platform == "website":
        return f"demo-{opd.slug}.sintang.example"
    if platform == "x":  # X allows only letters, digits and "_", at most 15 characters
        return f"demo_{opd.slug}"
    return f"demo.{opd.slug}"


def choose_platforms(opds: list[OpdRow], seed: int) -> dict[str, tuple[str, ...]]:
    """Platforms per OPD code; two kecamatan have no account at all."""
    rng = random.Random(f"{seed}:platforms")
    # the remote kecamatan are the likeliest to have no account (the capital's always has one)
    kecamatan = [o.code for o in opds if o.category == "kecamatan" and o.code != "KEC-SINTANG"]
    offices = [o.code for o in opds if o.category != "kecamatan"]
    without = set(rng.sample(kecamatan, 2))
    short = [code for code in offices if len(code) <= X_MAX_SLUG]
    on_x, on_web = set(rng.sample(short, 4)), set(rng.sample(offices, 5))
    chosen: dict[str, tuple[str, ...]] = {}
    for opd in opds:
        if opd.code in without:
            chosen[opd.code] = ()
            continue
        boost = 0.3 if opd.code in PROMINENT else 0.0
        extra = {
            "youtube": rng.random() < 0.45 + boost,
            "tiktok": rng.random() < 0.3 + boost,
            "x": opd.code in on_x,
            "website": opd.code in on_web,
        }
        chosen[opd.code] = ("instagram", "facebook", *(p for p in PLATFORMS if extra.get(p)))
    return chosen


def _habits(count: int, rng: random.Random) -> list[str]:
    """Exactly ``count`` habits in the proportions of HABIT_SHARES, shuffled."""
    sizes = {h: max(1, round(share * count)) for h, share in HABIT_SHARES.items()}
    sizes["frequent"] += count - sum(sizes.values())
    habits = [h for h, size in sizes.items() for _ in range(size)]
    rng.shuffle(habits)
    return habits


def _audience(rng: random.Random, opd: OpdRow, platform: str) -> int:
    if platform not in AUDIENCE:
        return 0
    low, high = AUDIENCE[platform]
    size = rng.random() ** 1.3
    if opd.code in PROMINENT:
        size = 0.5 + 0.5 * size
    elif opd.category == "kecamatan":
        size *= 0.6
    return round(low * (high / low) ** size)


def _trend(rng: random.Random, habit: str) -> tuple[str, float]:
    if habit in QUIET_HABITS:
        trend = rng.choices(("shrinking", "flat", "growing"), weights=(5, 3, 2))[0]
    else:
        trend = rng.choices(("growing", "jump", "flat", "shrinking"), weights=(6, 2, 1, 1))[0]
    change = {
        "growing": rng.uniform(0.15, 1.0),
        "jump": rng.uniform(0.05, 0.3),
        "flat": rng.uniform(-0.02, 0.03),
        "shrinking": rng.uniform(-0.15, -0.04),
    }[trend]
    return trend, change


def _propensities(opds: list[OpdRow], seed: int) -> dict[str, float]:
    """Caption quality of each OPD's admin: some careful, some careless, most mixed."""
    rng = random.Random(f"{seed}:propensity")
    out: dict[str, float] = {}
    for opd in opds:
        style = rng.choices(("good", "poor", "mixed"), weights=(2, 2, 6))[0]
        bounds = {"good": (0.85, 0.97), "poor": (0.05, 0.25), "mixed": (0.35, 0.75)}[style]
        out[opd.code] = rng.uniform(*bounds)
    return out


def plan_accounts(opds: list[OpdRow], seed: int) -> list[AccountPlan]:
    """Every demo account with its habit, audience and caption propensity."""
    rng = random.Random(f"{seed}:accounts")
    platforms = choose_platforms(opds, seed)
    pairs = [(o, p) for o in opds for p in platforms[o.code]]
    social = [pair for pair in pairs if pair[1] != "website"]
    habit_of = dict(zip(social, _habits(len(social), rng), strict=True))
    propensity = _propensities(opds, seed)
    plans = []
    for opd, platform in pairs:
        habit = habit_of.get((opd, platform)) or rng.choice(WEBSITE_HABITS)
        trend, change = _trend(rng, habit)
        jitter = rng.uniform(-0.08, 0.08)
        plans.append(
            AccountPlan(
                opd=opd,
                platform=platform,
                handle=handle_for(opd, platform),
                habit=habit,
                audience_now=_audience(rng, opd, platform),
                trend=trend,
                change=change,
                propensity=min(0.98, max(0.02, propensity[opd.code] + jitter)),
            )
        )
    return plans


def registry_records(
    opds: list[OpdRow], plans: list[AccountPlan], seed: int
) -> list[tuple[int, dict[str, object]]]:
    """Registry rows as a CSV would hold them: one per account, one per OPD without any."""
    by_opd: dict[str, list[AccountPlan]] = {}
    for plan in plans:
        by_opd.setdefault(plan.opd.code, []).append(plan)
    rows: list[dict[str, object]] = []
    for index, opd in enumerate(opds):
        admin = {"admin_name": "", "admin_phone": "", "admin_email": ""}
        accounts = by_opd.get(opd.code, [])
        if accounts:
            admin = {
                "admin_name": fictional_name(random.Random(f"{seed}:admin:{opd.code}")),
                "admin_phone": f"+62 812-0000-{1001 + index:04d}",
                "admin_email": f"admin.{opd.slug}@demo.example",
            }
        base = {"opd_code": opd.code, "opd_name": opd.name, "category": opd.category}
        pairs = [(plan.platform, plan.handle) for plan in accounts] or [("", "")]
        for platform, handle in pairs:
            rows.append({**base, "platform": platform, "handle": handle, **admin})
    return [(line, row) for line, row in enumerate(rows, start=2)]
