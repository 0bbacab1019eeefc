"""A seeded layout fuzzer for the RAT extractor: matrices typeset as planners typeset them.

`spec.layout_specs(n)` draws n layouts; `render.rendered_corpus(specs)` renders them (python-docx exported
by LibreOffice, or reportlab), cached by content; `score.scored(spec, document)` compares an extraction
with what was typeset. Re-render one layout: `python -m tests.rat_fuzz SEED`.
"""
