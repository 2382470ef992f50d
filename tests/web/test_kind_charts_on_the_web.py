"""The charts of multiple-choice, numeric and date questions on a prediction's public page:
which appear for which kind, alt text that says the community forecast in words, PNGs drawn
by the same code Discord uses, cached per state of the prediction, with ETags, a data table
beside them, and nothing while the votes are hidden."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec

import pytest
from aiohttp.test_utils import TestClient

from bot.clock import FakeClock
from bot.domain.kinds.ranges import RangeForecast, RangeKind
from bot.services.registry import Services
from bot.services.track_record.stats import StatsService
from tests.conftest import GUILD
from tests.web.conftest import InlineCharts
from tests.web.kinds_world import build_kinds
from tests.web.world import build

Client = TestClient[Any, Any]
P = ParamSpec("P")
SERVER = f"/servers/{GUILD}"
PNG = b"\x89PNG"


def images(page: str) -> dict[str, str]:
    """Each chart image on the page: file name -> alt text."""
    found = re.findall(r'<img src="[^"]*/([a-z]+\.png)\?v=\d+"[^>]*alt="([^"]*)"', page)
    return dict(found)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the chart jobs run, in order."""
    jobs: list[str] = []
    inline = InlineCharts.render

    async def counted(
        self: InlineCharts, function: Callable[P, bytes], *args: P.args, **kw: P.kwargs
    ) -> bytes:
        jobs.append(function.__name__)
        return await inline(self, function, *args, **kw)

    monkeypatch.setattr(InlineCharts, "render", counted)
    return jobs


async def test_each_kind_shows_its_charts_with_the_forecast_in_words(
    services: Services, clock: FakeClock, web_client: Client, drawn: list[str]
) -> None:
    await build(services, clock)
    kinds = await build_kinds(services, clock)

    page = await (await web_client.get(f"{SERVER}/predictions/{kinds.choice}")).text()
    shown = images(page)
    assert list(shown) == ["choices.png"]
    assert "one line per option" in shown["choices.png"]
    assert (
        "Community: A 34%, B 32%, C 34% (2 forecasters; 2 changes so far)." in shown["choices.png"]
    )
    # The data table beside it: each option's share after each change.
    assert '<th scope="col">A</th><th scope="col">B</th><th scope="col">C</th>' in page
    assert "<td>50%</td><td>30%</td><td>20%</td>" in page
    assert "<td>34%</td><td>32%</td><td>34%</td>" in page
    path = f"{SERVER}/predictions/{kinds.choice}/choices.png"
    first = await web_client.get(path)
    assert first.status == 200 and first.content_type == "image/png"
    assert (await first.read()).startswith(PNG)
    assert drawn == ["choice_chart_packed"]  # the chart job Discord's attachment runs
    tag = first.headers["ETag"]
    again = await web_client.get(path, headers={"If-None-Match": tag})
    assert again.status == 304
    assert drawn == ["choice_chart_packed"]  # drawn once per state of the prediction
    for other in ("density.png", "fan.png"):
        missing = await web_client.get(f"{SERVER}/predictions/{kinds.choice}/{other}")
        assert missing.status == 404

    for number, said in ((kinds.numeric, " seats, 80 % between "), (kinds.date, "2027-")):
        page = await (await web_client.get(f"{SERVER}/predictions/{number}")).text()
        shown = images(page)
        assert list(shown) == ["density.png", "fan.png"]
        for alt in shown.values():
            assert "Community: median " in alt and said in alt and "2 forecasters" in alt
        assert "distribution" in shown["density.png"] and "80 % interval" in shown["fan.png"]
        assert '<th scope="col">Median</th>' in page
        for name in shown:
            answer = await web_client.get(f"{SERVER}/predictions/{number}/{name}")
            assert answer.status == 200 and (await answer.read()).startswith(PNG)
        wrong = await web_client.get(f"{SERVER}/predictions/{number}/choices.png")
        assert wrong.status == 404
    assert drawn[1:] == ["density_chart", "fan_chart", "density_chart", "fan_chart"]
    numeric = await (await web_client.get(f"{SERVER}/predictions/{kinds.numeric}")).text()
    assert "<td>29 seats</td><td>42 seats</td><td>62 seats</td>" in numeric  # the first forecast
    date = await (await web_client.get(f"{SERVER}/predictions/{kinds.date}")).text()
    assert "<td>after 2027-12-31</td>" in date  # a percentile beyond the open end, in words

    yes_no = await (await web_client.get(f"{SERVER}/predictions/2")).text()
    assert list(images(yes_no)) == ["history.png"]
    assert (await web_client.get(f"{SERVER}/predictions/2/choices.png")).status == 404


async def test_hidden_votes_draw_no_chart_until_voting_closes(
    services: Services, clock: FakeClock, web_client: Client
) -> None:
    await build(services, clock)
    kinds = await build_kinds(services, clock)
    page_path = f"{SERVER}/predictions/{kinds.hidden_choice}"
    page = await (await web_client.get(page_path)).text()
    assert images(page) == {} and "Votes are hidden until voting closes" in page
    assert "<table>" not in page.split('id="community"')[1].split("</section>")[0]
    assert (await web_client.get(f"{page_path}/choices.png")).status == 404

    clock.advance(days=11)
    shown = images(await (await web_client.get(page_path)).text())
    assert "Community: A 44%, B 56%" in shown["choices.png"]
    answer = await web_client.get(f"{page_path}/choices.png")
    assert answer.status == 200 and (await answer.read()).startswith(PNG)


async def test_a_pages_community_forecast_is_pooled_off_the_event_loop(
    services: Services, clock: FakeClock, web_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page pools as Discord's message does: another kind's payloads are decoded and
    pooled in a worker thread (a numeric question with 5,000 forecasters is ~10 ms of CPU)."""
    await build(services, clock)
    kinds = await build_kinds(services, clock)
    loop_thread = threading.get_ident()
    pooled_in: list[int] = []
    own_pool = RangeKind.pool

    def spied(self: RangeKind, held: Sequence[RangeForecast]) -> object:
        pooled_in.append(threading.get_ident())
        return own_pool(self, held)

    monkeypatch.setattr(RangeKind, "pool", spied)
    page = await web_client.get(f"{SERVER}/predictions/{kinds.numeric}")
    assert page.status == 200
    assert " seats, 80 % between " in await page.text()
    assert pooled_in and loop_thread not in pooled_in


async def test_a_page_replays_only_the_history_its_chart_needs(
    services: Services, clock: FakeClock, web_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The yes/no replay (all vote events) is not run for a page that cannot show it."""
    await build(services, clock)
    kinds = await build_kinds(services, clock)
    replayed: list[int] = []
    own = StatsService.history

    async def spied(self: StatsService, guild_id: int, prediction_id: int) -> object:
        replayed.append(prediction_id)
        return await own(self, guild_id, prediction_id)

    monkeypatch.setattr(StatsService, "history", spied)
    for number in (kinds.choice, kinds.numeric, kinds.date):
        assert (await web_client.get(f"{SERVER}/predictions/{number}")).status == 200
    assert replayed == []
    assert (await web_client.get(f"{SERVER}/predictions/1")).status == 200  # a yes/no one
    assert len(replayed) == 1
