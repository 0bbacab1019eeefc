"""Render one fuzz layout and show how it reads: python -m tests.rat_fuzz SEED [OUT.pdf]."""

import sys
from pathlib import Path

from ingest.rat.extract import extract_rat
from tests.rat_fuzz.render import render_one
from tests.rat_fuzz.score import scored
from tests.rat_fuzz.spec import layout_spec


def main() -> None:
    seed = int(sys.argv[1])
    spec = layout_spec(seed)
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/{spec.file_name}")
    render_one(spec, out)
    score = scored(spec, extract_rat(out))
    print(spec)
    print(f"{out}: {score.right}/{score.cells} right, {score.flagged} flagged, {len(score.wrong)} wrong")
    for line in score.wrong:
        print("  " + line)


if __name__ == "__main__":
    main()
