"""The built site in a real browser: headless Chromium (Debian's) driven by Playwright, served on 127.0.0.1.

`make browser` (part of `make test`, after the book build) installs Chromium and a CJK font when they are
missing and runs these tests against `_build/html`. They never skip: a missing build or browser fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import pathlib
import threading

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The site under test: the book's build, or another folder named by DLNOTES_HTML.
HTML = pathlib.Path(os.environ.get("DLNOTES_HTML", ROOT / "_build" / "html"))
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# As the machine's probe starts it: no sandbox (root), no GPU, and none of Chromium's own background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site():
    """The base URL of `_build/html`, served by a local HTTP server for the whole session."""
    if not (HTML / "index.html").exists():
        pytest.fail(
            f"no built book in {HTML}: run `make book` first (make test builds it before these tests)"
        )
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not pathlib.Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium and fonts-noto-cjk")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
