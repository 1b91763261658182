"""dlnotes.drill.reading: what counts as visible, and the rates, on small hand-counted chapters."""

import pathlib

import pytest

from dlnotes.drill.reading import CODE_LINES_PER_MINUTE, WORDS_PER_MINUTE, ReadingTime, reading_time

HEADER = "---\njupytext:\n  text_representation:\n    extension: .md\n---\n"


def test_header_labels_and_fences_are_not_words():
    t = reading_time(HEADER + "(chapter-x)=\n# Two words\n\n+++\n\nthree more words\n")
    assert (t.prose_words, t.code_lines) == (5, 0)


def test_code_cells_visible_hidden_and_removed():
    text = (
        "```{code-cell} ipython3\na = 1\n\nb = 2\n```\n"
        "```{code-cell} ipython3\n---\ntags: [hide-input]\n---\nc = 3\n```\n"
        "```{code-cell} ipython3\n:tags: [remove-cell]\nd = 4\n```\n"
    )
    t = reading_time(text)
    assert (t.code_lines, t.hidden_code_lines) == (2, 1)


def test_dropdowns_and_solutions_are_collapsed_with_their_nested_code():
    text = (
        "Visible.\n\n````{solution} q-x\n:class: dropdown\n\nfour words in here\n\n"
        "```python\nx = 1\n```\n````\n\n"
        "```{admonition} Deeper: title words\n:class: dropdown\nfive hidden words are here\n```\n\n"
        "```{admonition} Common misconception\nthree shown words\n```\n"
        "```{dropdown} Title\nhidden\n```\n"
    )
    t = reading_time(text)
    assert t.prose_words == 1 + 3
    assert t.hidden_words == 4 + 5 + 1
    assert t.hidden_code_lines == 1


def test_math_roles_and_links_count_what_is_read():
    # $x_t$ is 2 groups (x, t); {ref} reads its text; a link reads its text; \frac is one group.
    t = reading_time(
        "See $x_t$ and {ref}`the section <sec>` or [this page](https://x.org).\n$$\n\\frac{a}{b}\n$$\n"
    )
    assert t.prose_words == 1 + 2 + 1 + 2 + 1 + 2 + 3


def test_cjk_characters_count_one_word_each():
    assert reading_time("优化器 is\n").prose_words == 4


def test_source_directive_counts_the_listing_it_shows():
    t = reading_time("```{source} dlnotes.optim.schedules.step_lr\n:hide-checks:\n```\n")
    assert t.code_lines == 3


def test_drill_directive_counts_the_statement_and_starter_it_shows():
    from dlnotes.drill.coding import show

    shown = reading_time(show("softmax").markdown())
    t = reading_time("```{drill} softmax\n```\n")
    assert (t.prose_words, t.code_lines) == (shown.prose_words, shown.code_lines)
    assert t.prose_words > 40 and t.code_lines == 2
    assert reading_time("```{drill} no-such-drill\n```\n").prose_words == 0


def test_minutes_use_the_stated_rates():
    t = ReadingTime(prose_words=400, code_lines=30, hidden_words=200, hidden_code_lines=15)
    assert t.minutes == pytest.approx(400 / WORDS_PER_MINUTE + 30 / CODE_LINES_PER_MINUTE)
    assert t.hidden_minutes == pytest.approx(200 / WORDS_PER_MINUTE + 15 / CODE_LINES_PER_MINUTE)


def test_path_and_type_errors(tmp_path):
    p = tmp_path / "c.md"
    p.write_text("one two\n", encoding="utf-8")
    assert reading_time(pathlib.Path(p)).prose_words == 2
    with pytest.raises(TypeError, match="expected the chapter's text"):
        reading_time(3)
