"""The example questions of the documentation: the README shows three, docs/analysts.md all of them.

Every SQL block of both is run by the tests (and timed by the benchmark), and the answers printed under the
numbered questions of docs/analysts.md are recomputed from the files; a README example must be one of those,
word for word, so its answer is checked too.
"""

from __future__ import annotations

import re

from store.paths import REPO_ROOT

README = REPO_ROOT / "README.md"
ANALYSTS_GUIDE = REPO_ROOT / "docs" / "analysts.md"
_QUESTION = re.compile(r"\*\*\d+\. [^\n]*\*\*\n\n```sql\n.*?```\s*```text\n.*?```", flags=re.S)


def documented_queries() -> list[str]:
    """Every SQL block of the README and of the analysts' guide, each once, in order."""
    found = [
        sql
        for path in (README, ANALYSTS_GUIDE)
        for sql in re.findall(r"```sql\n(.*?)```", path.read_text(), flags=re.S)
    ]
    return list(dict.fromkeys(found))


def example_question(number: int) -> tuple[str, list[list[str]]]:
    """The SQL and the printed answer (header row first) of the analysts' guide's question `number`."""
    text = ANALYSTS_GUIDE.read_text()
    start = text.index(f"**{number}. ")
    sql, answer = re.search(r"```sql\n(.*?)```\s*```text\n(.*?)```", text[start:], flags=re.S).groups()
    return sql, [line.split(" | ") for line in answer.strip().splitlines()]


def readme_questions() -> list[str]:
    """The README's example questions, each as its title, SQL and printed answer."""
    return _QUESTION.findall(README.read_text())


def guide_questions() -> list[str]:
    return _QUESTION.findall(ANALYSTS_GUIDE.read_text())
