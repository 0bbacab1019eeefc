"""The RAT extractor on seeded layouts typeset the way plans are made (Word documents exported by
LibreOffice, and reportlab): every cell and budget line right, or flagged in `uncertain_columns`;
never a wrong value without the flag.

RAT_FUZZ_LAYOUTS (default 40) and RAT_FUZZ_FIRST_SEED choose the layouts; `make fuzz` runs 400.
Renderings are cached under .cache/rat-fuzz/ by content, so a second run renders nothing, and readings
under .cache/rat-scans/ by the PDF's bytes and the extractor's code (tests/scans.kept_reading).
A failing layout names its seed: `python -m tests.rat_fuzz SEED` renders it again and shows the diff.
"""

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from ingest.rat.extract import extract_rat
from tests.rat_fuzz.render import RENDER_FAILURES, cache_key, rendered_corpus, soffice
from tests.rat_fuzz.score import Score, scored
from tests.rat_fuzz.spec import layout_spec, layout_specs
from tests.scans import kept_reading

LAYOUTS = int(os.environ.get("RAT_FUZZ_LAYOUTS", "40"))
FIRST_SEED = int(os.environ.get("RAT_FUZZ_FIRST_SEED", "0"))
SPECS = layout_specs(LAYOUTS, FIRST_SEED)


def _score(item: tuple[int, Path]) -> Score:
    seed, pdf = item
    spec = layout_spec(seed)
    try:  # a layout's reading is kept for the next run while its PDF and the extractor stay the same
        return scored(spec, kept_reading(pdf, "fuzz", extract_rat))
    except Exception as error:  # a layout the extractor refuses is a failure of that layout, with its seed
        return Score(seed, wrong=[f"extraction failed: {error}"])


@pytest.fixture(scope="module")
def scores() -> dict[int, Score]:
    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is not installed: `make test` or `make fuzz` installs it")
    corpus = rendered_corpus(SPECS)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        scores = {score.seed: score for score in pool.map(_score, sorted(corpus.items()), chunksize=4)}
    for seed, reason in RENDER_FAILURES.items():
        scores[seed] = Score(seed, wrong=[f"could not be typeset: {reason}"])
    return scores


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"seed{s.seed}-{s.renderer}-{s.paper}-{s.column_set}")
def test_layout_reads_back_or_says_what_it_doubts(spec, scores: dict[int, Score]):
    score = scores[spec.seed]
    orientation = "landscape" if spec.landscape else "portrait"
    assert score.ok, (
        f"layout seed {spec.seed} ({spec.renderer}, {spec.paper} {orientation}, {spec.font} "
        f"{spec.font_size} pt, {spec.column_set}, {spec.body_kind} body): {len(score.wrong)} wrong; "
        f"re-render with `python -m tests.rat_fuzz {spec.seed}`\n  " + "\n  ".join(score.wrong[:20])
    )


def test_the_corpus_is_read_nearly_whole(scores: dict[int, Score]):
    cells = sum(score.cells for score in scores.values())
    right = sum(score.right for score in scores.values())
    flagged = sum(score.flagged for score in scores.values())
    wrong = sum(len(score.wrong) for score in scores.values())
    print(
        f"\nRAT fuzz: {len(scores)} layouts, {cells} cells, {right} right, {flagged} flagged, {wrong} wrong"
    )
    assert wrong == 0
    # Doubt is for what the page cannot tell, not a way out: few cells are flagged.
    assert flagged <= 0.02 * cells


def test_the_corpus_is_varied():
    specs = layout_specs(40)
    assert {s.renderer for s in specs} == {"docx", "reportlab"}
    assert {s.paper for s in specs} == {"A4", "F4", "Legal", "Letter"}
    assert {s.landscape for s in specs} == {True, False}
    assert {s.font_family for s in specs} == {"serif", "sans", "mono"}
    assert {s.number_row for s in specs} == {True, False}
    assert {s.body_kind for s in specs} == {"gold", "generated"}
    assert len({s.column_set for s in specs}) >= 6
    assert any(s.total_label for s in specs) and any(s.revision for s in specs)
    assert any(s.group_label is None for s in specs) and any(s.group_label for s in specs)
    assert min(s.font_size for s in specs) == 6 and max(s.font_size for s in specs) >= 9


def test_layouts_are_reproducible_and_cached_by_content():
    assert layout_spec(7) == layout_spec(7)
    assert layout_spec(7).body() == layout_spec(7).body()
    assert cache_key(layout_spec(7), layout_spec(7).body()) == cache_key(
        layout_spec(7), layout_spec(7).body()
    )
    assert cache_key(layout_spec(7), layout_spec(7).body()) != cache_key(
        layout_spec(8), layout_spec(8).body()
    )
