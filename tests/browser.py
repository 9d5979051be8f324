"""Headless Chromium (Debian's) driven by Playwright, with the network limited to loopback."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

from playwright.sync_api import Page, Route, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Offline:
    """Requests the page tried to send off this machine (all refused)."""

    blocked: list[str] = field(default_factory=list)


@contextmanager
def offline_page() -> Iterator[tuple[Page, Offline]]:
    """A browser page that may reach 127.0.0.1 only; anything else is aborted and recorded."""
    offline = Offline()

    def only_loopback(route: Route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            offline.blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.route("**/*", only_loopback)
            yield page, offline
        finally:
            browser.close()
