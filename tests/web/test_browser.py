"""The web view in a real headless Chromium (Debian's ``chromium``; Playwright drives it, no
browser download): server → prediction → member → leaderboard by following links, on a
phone-sized screen in light and dark mode, with no console errors and no serious axe-core
accessibility violations; and the charts of every other kind load, with their alt text.

Locally the tests skip, saying so, when chromium is not installed; in CI (``CI=true``) a
missing chromium is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.clock import FakeClock
from bot.services.registry import Services
from tests.conftest import AUTHOR, GUILD, VOTER
from tests.web.kinds_world import build_kinds
from tests.web.world import NAMES, SERVER_NAME, build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 390, "height": 844}
#: axe-core impacts that fail the test.
SERIOUS = {"serious", "critical"}

if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip(
        "chromium is not installed: `apt-get install -y chromium` to run the browser tests",
        allow_module_level=True,
    )


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    if CHROMIUM is None:
        pytest.fail("CI=true but chromium is not installed (.ci/run installs it)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            yield launched
        finally:
            await launched.close()


class Visit:
    """One phone-sized tab that records console errors and failed requests."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"{r.status} {r.url}"),
        )

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    async def check(self, heading: str) -> None:
        """The page's h1, nothing wider than the phone, and no serious axe violations."""
        from axe_playwright_python.async_playwright import Axe

        assert (await self.page.locator("h1").inner_text()).strip() == heading
        assert await self.page.locator("script").count() == 0  # works without JavaScript
        wide = await self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wide <= 0, f"{self.page.url} scrolls sideways by {wide}px on a phone"
        results = await Axe().run(self.page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in results.response["violations"]
            if v.get("impact") in SERIOUS
        ]
        assert serious == [], f"{self.page.url}: {serious}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_server_prediction_member_leaderboard_in_a_browser(
    services: Services,
    clock: FakeClock,
    web_client: TestClient[Any, Any],
    browser: Any,
    scheme: str,
) -> None:
    await build(services, clock)
    base = str(web_client.make_url("")).rstrip("/")
    context = await browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        color_scheme=scheme,
        java_script_enabled=True,
    )
    visit = Visit(await context.new_page(), base)
    page = visit.page
    try:
        await page.goto(f"{base}/servers/{GUILD}")
        await visit.check(SERVER_NAME)
        assert await page.locator("h2", has_text="Recently resolved").count() == 1
        assert await page.get_by_text("Secret layoffs").count() == 0

        await page.get_by_role("link", name="#2 Rain on the parade").click()
        await page.wait_for_url(f"**/servers/{GUILD}/predictions/2")
        await visit.check("#2 Rain on the parade")
        assert await page.get_by_role("img", name="Chart of the community forecast").count() == 1
        natural = await page.locator("figure img").evaluate("img => img.naturalWidth")
        assert natural > 0  # the chart loaded
        assert await page.get_by_role("heading", name="Edit log").count() == 1

        await page.get_by_role("link", name=NAMES[AUTHOR]).click()
        await page.wait_for_url(f"**/members/{AUTHOR}")
        await visit.check(NAMES[AUTHOR])

        await (
            page.get_by_role("navigation", name="Site")
            .get_by_role("link", name="Leaderboard")
            .click()
        )
        await page.wait_for_url("**/leaderboard")
        await visit.check("Leaderboard")
        await page.get_by_label("Metric").select_option("brier")
        await page.get_by_role("button", name="Show").click()
        await page.wait_for_url("**/leaderboard?period=all&metric=brier*")
        await page.get_by_role("link", name=NAMES[VOTER]).click()
        await page.wait_for_url(f"**/members/{VOTER}")
        await visit.check(NAMES[VOTER])

        await page.goto(f"{base}/servers/{GUILD}")
        await page.get_by_label("Search predictions").fill("bridge")
        await page.get_by_role("button", name="Search").click()
        await page.wait_for_url("**?q=bridge*")
        assert await page.get_by_role("link", name="#1 The bridge opens").count() == 1
        assert visit.problems == []
    finally:
        await context.close()


async def test_each_kinds_charts_load_with_alt_text_in_a_browser(
    services: Services, clock: FakeClock, web_client: TestClient[Any, Any], browser: Any
) -> None:
    """Multiple choice, numeric and date: every chart image loads, says the community
    forecast in its alt text, and the page stays clean under axe."""
    await build(services, clock)
    kinds = await build_kinds(services, clock)
    base = str(web_client.make_url("")).rstrip("/")
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    visit = Visit(await context.new_page(), base)
    page = visit.page
    expected = {
        kinds.choice: ("#{} Which lab ships first?", 1),
        kinds.numeric: ("#{} How many seats will the party win?", 2),
        kinds.date: ("#{} When will the bridge open?", 2),
    }
    try:
        for number, (heading, charts) in expected.items():
            await page.goto(f"{base}/servers/{GUILD}/predictions/{number}")
            await visit.check(heading.format(number))
            figures = page.locator("figure img")
            assert await figures.count() == charts
            for index in range(charts):
                image = figures.nth(index)
                assert await image.evaluate("img => img.complete && img.naturalWidth") > 0
                alt = await image.get_attribute("alt")
                assert alt is not None and "Community: " in alt
                assert await page.get_by_role("img", name=alt).count() == 1
        assert visit.problems == []
    finally:
        await context.close()
