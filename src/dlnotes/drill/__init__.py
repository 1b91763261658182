"""The interview drill and the book's machinery, apart from the reference implementations.

- :mod:`dlnotes.drill.questions`: the question bank, read from the chapters with myst-parser's own parser;
- :mod:`dlnotes.drill.quiz`: the spaced-repetition drill in the terminal (``dlnotes quiz``);
- :mod:`dlnotes.drill.anki`: the Anki deck (``dlnotes anki``);
- :mod:`dlnotes.drill.sphinxext`: the book's Sphinx extension (the question-bank page, the glossary display
  and the ``{source}`` directive that shows the package's code);
- :mod:`dlnotes.drill.source`: that directive, and :func:`~dlnotes.drill.source.source_of`, which resolves
  a dotted name to the code shown (the tests use it on every chapter);
- :mod:`dlnotes.drill.offline`: the site works offline (MathJax served from the book, no request to
  another host, long code lines wrapped).
"""
