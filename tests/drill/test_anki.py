"""`dlnotes.drill.anki`, `dlnotes anki`: open the .apkg (a zip of an SQLite collection), check its notes."""

import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile

import pytest

from dlnotes.cli import main
from dlnotes.drill.anki import DECK_ID, MODEL_ID, answer_html, build_deck, note_tags, write_deck
from dlnotes.drill.questions import Question, glue_values, load_questions
from tools import notebooks

genanki = pytest.importorskip("genanki")

ROOT = notebooks.ROOT


@pytest.fixture(scope="module")
def bank():
    return load_questions(ROOT)


def read_apkg(path, tmp_path):
    """Notes of an .apkg: list of (guid, model id, fields, tags) in id order, and the decks' ids."""
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        archive.extract("collection.anki2", tmp_path)
    conn = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        rows = conn.execute("SELECT guid, mid, flds, tags FROM notes ORDER BY id").fetchall()
        decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
        card_count = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        conn.close()
    (tmp_path / "collection.anki2").unlink()
    notes = [(guid, mid, flds.split("\x1f"), tags.split()) for guid, mid, flds, tags in rows]
    return notes, {int(k) for k in decks}, card_count


def _strip_code(html):
    return re.sub(r"(?s)<pre>.*?</pre>|<code[^>]*>.*?</code>", "", html)


def test_the_deck_of_the_book(bank, tmp_path):
    out = tmp_path / "out" / "deck.apkg"
    out.parent.mkdir()
    assert main(["anki", str(out), "--book", str(ROOT)]) == 0
    notes, decks, card_count = read_apkg(out, tmp_path)
    assert len(notes) == len(bank) == card_count
    assert DECK_ID in decks and {mid for _, mid, _, _ in notes} == {MODEL_ID}
    assert [guid for guid, _, _, _ in notes] == [genanki.guid_for(q.label) for q in bank]
    for q, (_, _, fields, tags) in zip(bank, notes):
        label, chinese, english, answer, _chapter, _part, link = fields
        assert label == q.label and link == f"{q.docname}.html#{q.label}"
        assert chinese and english and answer.startswith("<")
        assert set(tags) == {"dlnotes", f"part::{q.part.replace(' ', '_')}", f"chapter::{q.stem}"}
        # Math handed to MathJax: no dollar sign left outside code, one \( \) pair per inline formula.
        prose = _strip_code(answer)
        assert "$" not in prose, q.label
        assert prose.count("\\(") == prose.count("\\)")
        if "$" in q.answer:
            assert "\\(" in prose or "\\[" in prose, q.label
        assert "{glue:text}" not in answer and "{ref}" not in answer
    assert sorted(p.name for p in out.parent.iterdir()) == ["deck.apkg"], "no temporary file left"


def test_rebuilding_keeps_the_guids(bank, tmp_path):
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    write_deck(build_deck(bank, root=ROOT), first)
    write_deck(build_deck(bank, root=ROOT), second, timestamp=1e9)
    notes_a, decks_a, _ = read_apkg(first, tmp_path)
    notes_b, decks_b, _ = read_apkg(second, tmp_path)
    assert [n[0] for n in notes_a] == [n[0] for n in notes_b]
    assert [n[2] for n in notes_a] == [n[2] for n in notes_b]
    assert decks_a == decks_b


def test_filters_and_base_url(bank, tmp_path, capsys):
    out = tmp_path / "evaluation.apkg"
    assert (
        main(
            ["anki", str(out), "--book", str(ROOT), "--part", "Evaluation", "--base-url", "https://x.org/b/"]
        )
        == 0
    )
    evaluation = [q for q in bank if q.part == "Evaluation"]
    assert capsys.readouterr().out.strip() == f"wrote {len(evaluation)} notes to {out}"
    notes, _, _ = read_apkg(out, tmp_path)
    assert [n[2][0] for n in notes] == [q.label for q in evaluation]
    q = evaluation[0]
    assert notes[0][2][6] == f'<a href="https://x.org/b/{q.docname}.html#{q.label}">{q.label}</a>'


def test_an_empty_selection_is_an_error(tmp_path, capsys, monkeypatch):
    book = tmp_path / "book"
    book.mkdir()
    (book / "_toc.yml").write_text("root: intro\nparts:\n  - caption: Empty\n    chapters: []\n")
    assert main(["anki", str(tmp_path / "x.apkg"), "--book", str(book)]) == 1
    assert "no questions match" in capsys.readouterr().err
    assert not (tmp_path / "x.apkg").exists()


def _q(answer="A", label="q-a", title_zh="甲?", title_en="A?", docname="book/c"):
    return Question(label, title_zh, title_en, answer, "Chapter <c>", "chapter-c", "Part one", docname, 3)


def test_math_and_escaping():
    html = answer_html("If $a < b$ & $c>0$: `x<y` and\n\n$$\n\\sum_i p_i = 1\n$$\n\n<script>")
    assert "\\(a &lt; b\\)" in html and "\\(c&gt;0\\)" in html and " &amp; " in html
    assert "<code>x&lt;y</code>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert answer_html("a <b>bold</b> move") == "<p>a &lt;b&gt;bold&lt;/b&gt; move</p>"
    assert '<div class="math">\\[\\sum_i p_i = 1\\]</div>' in html
    labelled = answer_html("$$\nx = 1\n$$ (eq-one)")
    assert labelled == '<div class="math">\\[x = 1\\]</div>'
    aligned = answer_html("\\begin{align}\na &= b\n\\end{align}")
    assert aligned == '<div class="math">\\[\\begin{aligned}\na &amp;= b\n\\end{aligned}\\]</div>'
    assert "$" not in html


def test_roles_and_directives():
    text = (
        "See {ref}`the cell <c-cell>`, {numref}`fig-c`, {eq}`eq-c`, {cite}`key2020,b`, {math}`x^2`,"
        " {glue:text}`v:.2f` and {glue:text}`missing`.\n\n(target)=\n% a comment\n\n"
        "```{note}\n:class: tip\nA *note*.\n```\n\n```python\nif a < b:\n    pass\n```\n"
    )
    html = answer_html(text, glue={"v": "0.12345"})
    for part in [
        ">the cell<",
        ">the figure &#x27;c&#x27;<",
        ">the equation &#x27;c&#x27;<",
        ">key2020; b<",
        "\\(x^2\\)",
        ">0.12<",
        ">[missing]<",
    ]:
        assert part in html, part
    assert '<div class="note"><p>A <em>note</em>.</p>\n</div>' in html
    assert '<pre><code class="language-python">if a &lt; b:' in html
    assert "target" not in html and "comment" not in html and ":class:" not in html


def test_notes_escape_titles_and_tag_without_spaces():
    deck = build_deck([_q(title_en="Is a <b> tag safe & sound?")])
    [note] = deck.notes
    assert note.fields[2] == "Is a &lt;b&gt; tag safe &amp; sound?"
    assert note.fields[4] == "Chapter &lt;c&gt;"
    assert note.guid == genanki.guid_for("q-a")
    assert all(" " not in tag for tag in note.tags) and "part::Part_one" in note.tags
    assert note_tags(_q(docname="book/x/my-chapter")) == ["dlnotes", "part::Part_one", "chapter::my-chapter"]


def test_duplicate_labels_are_refused():
    with pytest.raises(ValueError, match=r"labels must be unique .*\['q-a'\]"):
        build_deck([_q(), _q()])


def test_glue_values_come_from_the_last_build(tmp_path):
    folder = tmp_path / "_build" / "jupyter_execute" / "book"
    folder.mkdir(parents=True)
    glue = {
        "v": {"output_type": "display_data", "data": {"text/plain": "0.98765"}},
        "n": {"data": {"text/plain": "1234"}},
    }
    (folder / "c.glue.json").write_text(json.dumps(glue))
    assert glue_values(tmp_path, "book/c") == {"v": "0.98765", "n": "1234"}
    assert glue_values(tmp_path, "book/none") == {}
    deck = build_deck([_q("{glue:text}`v:.1%` of {glue:text}`n:,` and {glue:text}`n`")], root=tmp_path)
    assert deck.notes[0].fields[3] == (
        '<p><span class="role-glue-text">98.8%</span> of <span class="role-glue-text">1,234</span>'
        ' and <span class="role-glue-text">1234</span></p>'
    )


def test_math_directive_and_admonition_title():
    math = answer_html("```{math}\n:label: eq-x\na < b\n```")
    assert math == '<div class="math">\\[a &lt; b\\]</div>'
    titled = answer_html(":::{admonition} Why $a<b$ & {ref}`c <d>`\nBody.\n:::")
    assert titled == (
        '<div class="admonition"><p class="title">'
        'Why \\(a&lt;b\\) &amp; <span class="role-ref">c</span></p>\n'
        "<p>Body.</p>\n</div>"
    )


def test_ids_and_guids_are_the_same_in_another_process(bank):
    """Re-importing updates cards only if a later run (another process and hash seed) has the same ids."""
    code = (
        "from dlnotes.drill.anki import DECK_ID, MODEL_ID, build_deck;"
        "from dlnotes.drill.questions import load_questions;"
        f"deck = build_deck(load_questions({str(ROOT)!r})[:5]);"
        "print(DECK_ID, MODEL_ID, deck.deck_id, *[note.guid for note in deck.notes])"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    here = build_deck(bank[:5])
    assert done.stdout.split() == [
        str(DECK_ID),
        str(MODEL_ID),
        str(here.deck_id),
        *[n.guid for n in here.notes],
    ]
    assert len({n.guid for n in build_deck(bank).notes}) == len(bank)


@pytest.mark.parametrize(
    ("out", "message"),
    [("deck.txt", "must end in .apkg"), ("missing/deck.apkg", "does not exist")],
)
def test_a_bad_output_path_is_refused(out, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["anki", out, "--book", str(ROOT)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dlnotes: error: ") and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
