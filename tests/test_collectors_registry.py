"""The explicit collector registry: every platform registered, tested and constructible."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors import REGISTRY, collector_for
from collectors.youtube import QuotaBudget
from db.models import PLATFORMS
from tests.collector_support import FIXTURES, FakeApi, settings

TESTS = Path(__file__).resolve().parent


def test_every_platform_is_registered() -> None:
    assert set(REGISTRY) == set(PLATFORMS)


@pytest.mark.parametrize("platform", sorted(REGISTRY))
def test_every_collector_has_a_fixture_test(platform: str) -> None:
    assert (TESTS / f"test_collectors_{platform}.py").is_file()
    assert any((FIXTURES / platform).glob("*.json"))


@pytest.mark.parametrize("platform", sorted(REGISTRY))
def test_collector_for_builds_the_registered_class(platform: str) -> None:
    collector = collector_for(platform, FakeApi().client(), settings())
    assert isinstance(collector, REGISTRY[platform]) and collector.platform == platform


def test_youtube_budget_is_passed_through() -> None:
    budget = QuotaBudget(daily_limit=5)
    collector = collector_for("youtube", FakeApi().client(), settings(), youtube_budget=budget)
    assert collector.budget is budget  # type: ignore[attr-defined]
