"""The ``{drill}`` and ``{drill-list}`` directives, built in a tiny made-up book."""

from __future__ import annotations

import re

import pytest

from dlnotes.drill import coding
from tests.helpers import sphinx_build

TOC = """\
format: jb-book
root: index
parts:
  - caption: Training dynamics
    chapters:
      - file: book/training/activations
  - caption: Appendix
    chapters:
      - file: drills
"""
INDEX = "# Tiny book\n\n```{toctree}\n:hidden:\nbook/training/activations\ndrills\n```\n"
CHAPTER = "# Activations\n\nSome text.\n\n## Coding drills\n\n```{drill} softmax\n```\n"
LIST = "# Drills\n\n```{drill-list}\n```\n"


def _book(root, chapter=CHAPTER):
    (root / "_toc.yml").write_text(TOC, encoding="utf-8")
    (root / "index.md").write_text(INDEX, encoding="utf-8")
    (root / "book/training").mkdir(parents=True)
    (root / "book/training/activations.md").write_text(chapter, encoding="utf-8")
    (root / "drills.md").write_text(LIST, encoding="utf-8")


def _build(root):
    _, warnings = sphinx_build(root, extensions=["dlnotes.sphinxext"], myst_enable_extensions=["dollarmath"])
    html = {
        name: (root / "_build/html" / f"{name}.html").read_text(encoding="utf-8")
        for name in ("book/training/activations", "drills")
    }
    return warnings, html


@pytest.fixture
def only_softmax(monkeypatch):
    """The catalogue as if it held only softmax (the tiny book has only its chapter)."""
    softmax = coding.get_drill("softmax")
    monkeypatch.setattr(coding, "drills", lambda chapter=None: [softmax])
    return softmax


def test_the_drill_box_and_the_list(tmp_path, only_softmax):
    _book(tmp_path)
    warnings, html = _build(tmp_path)
    assert warnings == ""
    page = html["book/training/activations"]
    assert 'id="drill-softmax"' in page and "Coding drill: Softmax that does not overflow" in page
    assert "Easy · 5 min" in page and "tolerance rtol 1e-12, atol 1e-14" in page
    assert 'class="math' in page and "$" not in page.split('id="drill-softmax"')[1].split("</div>")[0]
    assert "highlight-python" in page and '<span class="nf">softmax</span>' in page  # the starter
    assert "dlnotes drill check softmax softmax.py" in re.sub(r"<[^>]+>", "", page)
    listing = html["drills"]
    assert 'href="book/training/activations.html#drill-softmax"' in listing
    assert "1 drill in 1 chapter (1 easy, 0 medium, 0 hard)" in listing and "Training dynamics" in listing


def test_a_drill_outside_its_chapter_or_unknown_is_a_warning(tmp_path, only_softmax):
    _book(tmp_path, CHAPTER + "\n```{drill} no-such-drill\n```\n")
    (tmp_path / "drills.md").write_text(LIST + "\n```{drill} softmax\n```\n", encoding="utf-8")
    warnings, _ = _build(tmp_path)
    assert "there is no drill called 'no-such-drill'" in warnings
    assert "softmax belongs to the chapter book/training/activations" in warnings


def test_a_drill_whose_chapter_is_not_in_the_toc_is_a_warning(tmp_path, monkeypatch):
    softmax = coding.get_drill("softmax")
    monkeypatch.setattr(coding, "drills", lambda chapter=None: [softmax, coding.get_drill("conv2d")])
    _book(tmp_path)
    warnings, _ = _build(tmp_path)
    assert "the drill conv2d belongs to book/vision/convolution-pooling" in warnings
