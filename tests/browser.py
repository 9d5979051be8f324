"""Headless Chromium (Debian's) driven by Playwright, with the network limited to loopback."""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

from playwright.sync_api import Page, Request, Route, sync_playwright

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


# Nothing listens on port 1: a request sent through this proxy fails. Chromium never proxies
# loopback addresses, so only requests leaving the machine go (nowhere) through it.
DEAD_PROXY = ["--proxy-server=http://127.0.0.1:1", "--proxy-bypass-list=<-loopback>;127.0.0.1"]


def _loopback(url: str) -> bool:
    return urlparse(url).hostname in ("127.0.0.1", "localhost") or url.startswith("data:")


@contextmanager
def offline_page(*, real_cors: bool = False) -> Iterator[tuple[Page, Offline]]:
    """A browser page that may reach 127.0.0.1 only; anything else is aborted and recorded.

    While Playwright intercepts requests it answers CORS preflights itself, so a test of the
    server's CORS passes `real_cors=True`: requests are then only watched, and those leaving
    the machine fail at a dead proxy instead of being intercepted.
    """
    offline = Offline()

    def only_loopback(route: Route) -> None:
        if _loopback(route.request.url):
            route.continue_()
        else:
            offline.blocked.append(route.request.url)
            route.abort()

    def watch(request: Request) -> None:
        if not _loopback(request.url):
            offline.blocked.append(request.url)

    with sync_playwright() as playwright:
        flags = [*FLAGS, *DEAD_PROXY] if real_cors else FLAGS
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        try:
            page = browser.new_page()
            if real_cors:
                page.on("request", watch)
            else:
                page.route("**/*", only_loopback)
            yield page, offline
        finally:
            browser.close()
