"""End-to-end fixtures: the app served by Streamlit on a free port, and headless Debian Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NQ57_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("NQ57_SCREENSHOTS", REPO / "build" / "screenshots"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(env: dict[str, str], *options: str, port: int | None = None) -> Iterator[str]:
    """`streamlit run serve.py` (the README's command) on a free port with `env` and extra command-line `options`;
    yields its URL once healthy (after the start-up warm-up), stops it after."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "serve.py"), "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *options],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session", autouse=True)
def _labels_from_the_shipped_warehouse(shipped_db: Path) -> Iterator[None]:
    """The tests' own labels (the words of closed lists come from the warehouse) read the warehouse the app serves:
    a clean checkout has no data/warehouse.duckdb."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NQ57_DB", str(shipped_db))
        yield


@pytest.fixture(scope="session")
def app_url(shipped_db: Path) -> Iterator[str]:
    with serve_app({**os.environ, "NQ57_DB": str(shipped_db)}) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (CI installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    yield pg
    ctx.close()


def wait_for_app(pg, min_charts: int = 0, timeout: float = 60_000) -> None:
    """Wait until the script has finished running and the charts are drawn."""
    pg.wait_for_selector("[data-testid=stAppViewContainer]", timeout=timeout)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout)
    if min_charts:
        pg.wait_for_function(
            f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {min_charts}", timeout=timeout)


def screenshot(pg, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Streamlit scrolls inside its main container, so grow the viewport to the page's height.
    height = pg.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    pg.set_viewport_size({"width": 1400, "height": max(1000, min(int(height), 12000))})
    pg.wait_for_timeout(800)
    pg.screenshot(path=str(path), full_page=True)
    return path
