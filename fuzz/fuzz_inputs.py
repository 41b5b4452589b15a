"""Coverage-guided fuzzing of the two readers of user text, with atheris (`make fuzz`).

    python fuzz/fuzz_inputs.py seeds -max_total_time=60
    python fuzz/fuzz_inputs.py pages -max_total_time=60

Any input must give a result or a SiteBuilderError naming the file; anything else
(another exception, a hang caught by -timeout) is a bug that atheris reports with the
input that caused it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from site_builder.errors import SiteBuilderError
    from site_builder.frontmatter import split_page
    from site_builder.markdown import escape_markdown, markdown_to_text, plain_text
    from site_builder.seeds import read_seed_file

WORK = Path(tempfile.mkdtemp(prefix="fuzz-"))


def fuzz_seed(data: bytes) -> None:
    path = WORK / "seed.txt"
    path.write_bytes(data)
    result = read_seed_file(path)
    for problem in result.problems:
        assert problem.path == "seed.txt", problem
    for entry in result.entries:
        # Whatever was read must survive the trip to a page and back to text.
        assert markdown_to_text(escape_markdown(entry.abstract)) == plain_text(entry.abstract)


def fuzz_page(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        front, _ = split_page(text, "page.md")
    except SiteBuilderError as error:
        assert all(p.path == "page.md" for p in error.problems)
        return
    assert isinstance(front, dict)


def main() -> None:
    target = {"seeds": fuzz_seed, "pages": fuzz_page}[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
