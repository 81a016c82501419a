"""The wheel ships dsl/, library/ and data/ as package data, and the package finds them there."""

import subprocess
import sys
import zipfile

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (path,) = out.glob("neurosym-*.whl")
    return path


def test_wheel_contains_dsl_and_library(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "neurosym/_data/dsl/grammar.lark" in names
    assert "neurosym/_data/dsl/primitives.toml" in names
    assert any(n.startswith("neurosym/_data/library/") for n in names)
    assert "neurosym/_data/data/dreamcoder/list_tasks.json" in names
    assert "neurosym/_data/data/psb1/LICENSE" in names


def test_package_loads_language_from_the_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import neurosym, neurosym.resources as r;"
        "from neurosym.lang.base import base_dsl;"
        "assert str(r.dsl_dir()).startswith(%r), r.dsl_dir();"
        "assert str(r.library_dir()).startswith(%r);"
        "assert 'map' in base_dsl().primitive_names;"
        "from neurosym.domains.registry import get_domain;"
        "from neurosym.domains.psb1 import psb1_problem;"
        "assert str(r.data_dir()).startswith(%r);"
        "assert len(get_domain('dreamcoder')) == 217;"
        "assert len(psb1_problem('smallest')[0].examples) > 0;"
        "p = neurosym.load_program('map (\\\\x -> x + 1)');"
        "print(p.compile()((1, 2)).value)"
    ) % (str(site), str(site), str(site))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "(2, 3)"
