"""The notebook exporter (tools/notebooks.py): MyST roles and directives become plain Markdown.

No built book is needed: without one the exporter uses stand-ins, and a small fake build stands in for the
Sphinx environment where numbers are tested.
"""

import json
import re

import jupytext
import pytest

from tools import notebooks

#: A MyST role (``{name}`` then a backtick) or a directive fence.
RAW_MYST = re.compile(r"\{[\w:+-]+\}`|^\s*(?:>\s*)*(?:`{3,}|:{3,})\{", re.M)


def md(text, **kwargs):
    return notebooks.Resolver(**kwargs).markdown(text)


def test_term_and_label_lines():
    out = md("(sec-x)=\n## X\n\nThe {term}`prevalence` and {term}`BN <batch normalization>`.")
    assert out == "## X\n\nThe prevalence and BN."


def test_references_without_a_build_are_readable_never_labels():
    labels = {"sec-cell": ("section", "The cell")}
    out = md(
        "See {ref}`the cell <sec-cell>`, {ref}`sec-cell`, {numref}`fig-loss`, {eq}`eq-f1` and "
        "{prf:ref}`thm-a`.",
        labels=labels,
    )
    assert out == "See the cell, The cell, the figure, the equation and the theorem."
    assert md("{numref}`fig-loss` shows it.") == "The figure shows it."


def test_references_with_a_build_give_numbers_and_titles():
    build = notebooks.Build(
        labels={"fig-loss": ("book/a", "fig-loss", "Loss"), "sec-b": ("book/a", "sec-b", "Part B")},
        fignumbers={"book/a": {"figure": {"fig-loss": (3, 2)}, "displaymath": {"equation-eq-f1": (3, 1)}}},
        formats={"figure": "Fig. %s"},
    )
    out = md(
        "{numref}`fig-loss`, {eq}`eq-f1`, {ref}`sec-b`, {numref}`Figure %s <fig-loss>`",
        docname="book/a",
        build=build,
    )
    assert out == "Fig. 3.2, (3.1), Part B, Figure 3.2"
    assert md("$$\nx = 1\n$$ (eq-f1)", docname="book/a", build=build) == "$$\nx = 1\n\\tag{3.1}\n$$"
    assert md("$$\nx = 1\n$$ (eq-f1)") == "$$\nx = 1\n$$"


def test_citations_are_author_and_year():
    bib = {"he2016": ("He et al.", "2016"), "wu2018": ("Wu and He", "2018")}
    assert md("As in {cite}`he2016,wu2018`.", bib=bib) == "As in (He et al., 2016; Wu and He, 2018)."
    assert md("{cite:t}`he2016` showed", bib=bib) == "He et al. (2016) showed"
    assert md("{cite}`nobody`") == "(nobody)"


def test_the_book_bibliography_is_read():
    bib = notebooks.bibliography()
    assert bib and all(authors and year for authors, year in bib.values())


def test_glue_values_formatted_or_placeholder():
    glue = {"auc": {"text/plain": "0.97001"}, "table": {"text/markdown": "| a |\n|---|\n| 1 |"}}
    assert md("AUC {glue:text}`auc:.3f`, {glue:text}`auc`, {glue:text}`gone:.2f`.", glue=glue) == (
        "AUC 0.970, 0.97001, [gone]."
    )
    assert md("```{glue:md} table\n:format: myst\n```", glue=glue) == "| a |\n|---|\n| 1 |"
    assert md("```{glue:md} other\n:format: myst\n```") == "[other]"


def test_roles_in_code_stay_code():
    text = "Write ``{term}`x` `` in MyST.\n\n```md\n{numref}`fig-a`\n```"
    assert md(text) == text


def test_source_directive_becomes_python_code_with_its_caption():
    from dlnotes.drill.source import source_of

    out = md(
        '```{source} dlnotes.optim.schedules.step_lr\n:hide-checks:\n:caption: "`step_lr`, {term}`LR`"\n```'
    )
    caption, code = out.split("\n\n", 1)
    assert caption == "`step_lr`, LR"
    assert code == "```python\n" + source_of("dlnotes.optim.schedules.step_lr", hide_checks=True)[0] + "```"
    default = md("```{source} dlnotes.optim.schedules.step_lr\n```")
    assert default.startswith("`step_lr` in `src/dlnotes/optim/schedules.py`\n\n```python\n")


def test_admonitions_and_proofs_are_blockquotes_with_a_bold_title():
    assert md("```{admonition} Common misconception\nIt is {term}`x`.\n```") == (
        "> **Common misconception**\n>\n> It is x."
    )
    assert md("```{note}\nCareful.\n```") == "> **Note**\n>\n> Careful."
    assert (
        md("```{prf:theorem} Bayes\n:label: thm-b\n\nIt holds.\n```")
        == "> **Theorem (Bayes).**\n>\n> It holds."
    )
    assert md("```{prf:proof}\nTrivially.\n```") == "> **Proof.** Trivially."


def test_exercise_and_solution_with_nested_code():
    text = (
        "````{exercise} 为什么? · Why?\n:label: q-why\n:class: interview\n````\n\n"
        "````{solution} q-why\n:class: dropdown\n\nBecause {term}`x`:\n\n"
        "```python\nprint('{term}`not a role`')\n```\n\n"
        "```{note}\nInside.\n```\n````"
    )
    out = md(text)
    assert out.startswith("**Exercise: 为什么? · Why?**\n\n<details><summary>Answer</summary>\n\nBecause x:")
    assert "```python\nprint('{term}`not a role`')\n```" in out, "code inside a solution is kept as it is"
    assert "> **Note**\n>\n> Inside." in out
    assert out.endswith("</details>")


def test_fence_is_longer_than_the_code_it_holds():
    assert notebooks._fence("a = '''\n```\n'''", "python").startswith("````python\n")


NOTEBOOK_CHAPTERS = notebooks.notebook_files()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    return out, notebooks.convert(out=out, build=None)


@pytest.mark.parametrize("chapter", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_exported_chapter_has_no_raw_myst_and_keeps_its_code(exported, chapter):
    out, _ = exported
    path = out / chapter.relative_to(notebooks.ROOT).with_suffix(".ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            raw = [text[max(0, m.start() - 30) : m.end() + 30] for m in RAW_MYST.finditer(text)]
            assert not raw, f"raw MyST left in a markdown cell: {raw}"
            assert not re.search(r"^\([\w-]+\)=$", text, re.M), "a label line is left"
    source = jupytext.read(chapter)
    code = [(c.source, c.metadata) for c in source.cells if c.cell_type == "code"]
    written = [("".join(c["source"]), c["metadata"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert written == code, "the code cells (and their mystnb metadata) are exactly the chapter's"


def test_raw_mode_writes_the_chapter_as_jupytext_reads_it(tmp_path):
    chapter = NOTEBOOK_CHAPTERS[0]
    [path] = notebooks.convert(out=tmp_path, only=chapter.relative_to(notebooks.ROOT), resolve=False)
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert ["".join(c["source"]) for c in nb["cells"]] == [c.source for c in jupytext.read(chapter).cells]
