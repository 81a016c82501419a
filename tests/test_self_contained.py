"""A plain clone is self-contained: no code of the project reads outside the repository
(the public data it uses is vendored under data/, with its source and licence)."""

import re

from conftest import REPO

#: a path into the sibling `shared/` folder of the development checkout, in any spelling
OUTSIDE = re.compile(r"""(\.\./shared|["']shared["']\s*/|/\s*["']shared["']|shared/benchmarks|parents\[[2-9]\])""")


def test_no_code_reads_the_shared_folder():
    offenders = []
    for folder in ("neurosym", "tests", "benchmarks", "examples", "scripts"):
        for path in (REPO / folder).rglob("*.py"):
            if path.name == "test_self_contained.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if OUTSIDE.search(line):
                    offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_vendored_data_carries_source_and_licence():
    assert (REPO / "data" / "README.md").is_file()
    for name in ("dreamcoder", "psb1"):
        assert (REPO / "data" / name / "LICENSE").is_file(), name
        assert f"## {name}" in (REPO / "data" / "README.md").read_text()
