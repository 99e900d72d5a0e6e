"""The app as a public service in Chromium: nothing leaves the machine, no developer controls, Plotly speaks
Vietnamese."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.e2e.conftest import wait_for_app


def test_no_request_leaves_the_machine_and_no_developer_control_is_shown(page, app_url):
    outside: list[str] = []
    def local(url: str) -> bool:  # data: and blob: URLs are made in the page itself
        parsed = urlparse(url.removeprefix("blob:"))
        return parsed.scheme == "data" or parsed.hostname in ("127.0.0.1", "localhost")

    page.on("request", lambda r: None if local(r.url) else outside.append(r.url))
    for path, charts in (("", 0), ("ha-tang-so", 1), ("dia-phuong", 1)):
        page.goto(f"{app_url}/{path}")
        wait_for_app(page, charts)
        page.wait_for_timeout(1500)
    assert outside == []
    assert page.get_by_text("Deploy", exact=True).count() == 0
    assert page.locator("[data-testid=stMainMenu]").count() == 0  # no ⋮ menu with Rerun, Clear cache, Record


def test_the_chart_buttons_speak_vietnamese(page, app_url):
    page.goto(f"{app_url}/ha-tang-so")
    wait_for_app(page, 1)
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    titles = [b.get_attribute("data-title") for b in chart.locator(".modebar-btn").all()]
    assert "Tải biểu đồ (PNG)" in titles
    assert not any(t and ("Download" in t or "Autoscale" in t or "Zoom" in t) for t in titles), titles


def test_a_deep_link_fails_only_streamlits_own_base_path_probe(page, app_url):
    """Opening /<page> directly, Streamlit's frontend does not know whether '<page>' is the app's base path or a page
    of an app at '/', and asks both: `getPossibleBaseUris()` in Streamlit's frontend (frontend/connection/src/utils.ts,
    "we just try both possibilities") checks `<page>/_stcore/health` and `<page>/_stcore/host-config` first, gets
    404, then connects at '/'. Those two answers are the only failures, and the page loads; nothing else fails."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(urlparse(r.url).path) if r.status >= 400 else None)
    page.goto(f"{app_url}/nguon-luc?as_of=31/12/2025")
    wait_for_app(page, 1)
    page.get_by_role("heading", name="Nguồn lực KHCN").first.wait_for(timeout=60_000)
    assert set(failed) <= {"/nguon-luc/_stcore/health", "/nguon-luc/_stcore/host-config"}, failed
