"""Every page of the table of contents, opened in headless Chromium with the network cut off.

For each page: no console error and no failed request; nothing is requested from another host (the site
works offline); math is typeset (MathJax containers, no raw ``\\(``, ``\\[`` or ``$$`` left in the text);
every figure loaded with a non-zero size; no code listing wider than its box. Then: a solution dropdown opens
on click, the search finds the optimizers chapter for "Adam" and the glossary for "过拟合", Chinese text has a
CJK font, and screenshots of the home page and two chapters land in ``_build/screenshots/``.
"""

from __future__ import annotations

import subprocess
import urllib.parse
from dataclasses import dataclass, field

import pytest

from tests.browser.conftest import HTML, ROOT, SCREENSHOTS
from tools.notebooks import toc_files

PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in toc_files()]

# The text of the page outside code, scripts and typeset math: raw TeX there means MathJax did not run.
_PROSE_TEXT = """() => {
  const body = document.querySelector('main') || document.body;
  const clone = body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .MathJax').forEach(e => e.remove());
  return clone.textContent;
}"""

_WAIT_FOR_MATHJAX = """async () => {
  if (!window.MathJax || !MathJax.startup) return 'absent';
  await MathJax.startup.promise;
  return 'done';
}"""


@dataclass
class Visit:
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    off_host: list[str] = field(default_factory=list)


def open_page(browser, site, path):
    """Open `path` under `site` with every request to another host refused; return (page, visit)."""
    visit = Visit()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    host = urllib.parse.urlsplit(site).netloc

    def route(r):
        url = urllib.parse.urlsplit(r.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
            visit.off_host.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and visit.console_errors.append(m.text))
    page.on("pageerror", lambda e: visit.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: visit.failed.append(f"{r.url} ({r.failure})"))
    page.goto(f"{site}/{path}", wait_until="load")
    return page, visit


@pytest.mark.parametrize("path", PAGES)
def test_page(browser, site, path):
    page, visit = open_page(browser, site, path)
    try:
        mathjax = page.evaluate(_WAIT_FOR_MATHJAX)
        html = (HTML / path).read_text(encoding="utf-8")
        if 'class="math' in html:
            assert mathjax == "done", f"{path} has math but MathJax did not load"
            assert page.locator("mjx-container").count() > 0, f"{path}: no math was typeset"
        prose = page.evaluate(_PROSE_TEXT)
        raw = [s for s in ("\\(", "\\[", "$$") if s in prose]
        assert not raw, f"{path}: raw TeX {raw} in the page's text"
        broken = page.evaluate(
            "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.getAttribute('src'))"
        )
        assert not broken, f"{path}: images that did not load: {broken}"
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('main figure img, main .cell_output img')]"
            ".map(i => [i.getAttribute('src'), i.getBoundingClientRect().width])"
        )
        assert all(width > 0 for _, width in sizes), f"{path}: figures of zero width: {sizes}"
        wide = page.evaluate(
            "() => [...document.querySelectorAll('main div.highlight pre')]"
            ".filter(p => p.scrollWidth > p.clientWidth + 1)"
            ".map(p => p.textContent.split('\\n').reduce((a, b) => a.length >= b.length ? a : b))"
        )
        assert not wide, f"{path}: listings wider than their box, longest lines: {wide[:3]}"
        assert not visit.off_host, f"{path} asked another host for {visit.off_host}"
        assert not visit.failed, f"{path}: failed requests {visit.failed}"
        assert not visit.console_errors, f"{path}: console errors {visit.console_errors}"
    finally:
        page.close()


def test_a_solution_dropdown_opens_on_click(browser, site):
    page, _ = open_page(browser, site, "book/optimization/optimizers.html")
    try:
        solution = page.locator("div.solution.dropdown").first
        body = solution.locator(".solution-content, section").first
        assert not body.is_visible(), "the solution starts collapsed"
        solution.locator("button.toggle-button, .admonition-title").first.click()
        body.wait_for(state="visible", timeout=5000)
        assert body.is_visible()
    finally:
        page.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Adam", "book/optimization/optimizers.html"), ("过拟合", "book/appendix/glossary.html")],
)
def test_search_finds_the_page(browser, site, query, expected):
    page, _ = open_page(browser, site, f"search.html?q={urllib.parse.quote(query)}")
    try:
        results = page.locator("#search-results ul.search li a")
        results.first.wait_for(timeout=15000)
        links = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any(expected in (link or "") for link in links), f"{query!r}: {links}"
    finally:
        page.close()


def test_chinese_text_has_a_cjk_font(browser, site):
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no font for Chinese: `make browser` installs fonts-noto-cjk"
    page, _ = open_page(browser, site, "book/appendix/glossary.html")
    try:
        # A character the fonts do not have is drawn as the same box whatever it is; real glyphs differ.
        widths = page.evaluate(
            """() => { const c = document.createElement('canvas').getContext('2d');
                       c.font = '32px sans-serif';
                       return ['过', '拟', '\\u{10FFFD}'].map(ch => c.measureText(ch).width); }"""
        )
        assert widths[0] > 0 and widths[1] > 0
        assert "过拟合" in page.locator("main").inner_text()
    finally:
        page.close()


def test_screenshots(browser, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in [
        ("home", "book/intro.html"),
        ("optimizers", "book/optimization/optimizers.html"),
        ("normalization", "book/training/normalization.html"),
        ("glossary", "book/appendix/glossary.html"),
    ]:
        page, _ = open_page(browser, site, path)
        try:
            page.evaluate(_WAIT_FOR_MATHJAX)
            out = SCREENSHOTS / f"{name}.png"
            page.screenshot(path=str(out))
            assert out.stat().st_size > 10_000, f"{out} is nearly empty"
        finally:
            page.close()
