"""`neurosym report RUNDIR`: a self-contained HTML page of a curriculum run."""

import base64
import re
import shutil
import subprocess

import pytest

from conftest import REPO
from neurosym.cli import main
from neurosym.curriculum.html_report import ReportError, read_run, write_report
from neurosym.curriculum.run import Curriculum, CurriculumConfig
from neurosym.domains.registry import get_domain

NAMES = ("add-1", "add-2", "add-3", "drop-1", "drop-2", "take-1", "take-2")


@pytest.fixture(scope="module")
def rundir(tmp_path_factory):
    lists = {t.name: t for t in get_domain("lists")}
    folder = tmp_path_factory.mktemp("run") / "run"
    config = CurriculumConfig(source="lists <subset> & co", iterations=2, budget=60, candidates=15000,
                              library="base", executor="serial")
    Curriculum([lists[n] for n in NAMES], folder, config).run()
    return folder


def test_report_shows_curves_tasks_programs_library_and_config(rundir, tmp_path):
    page = write_report(rundir, tmp_path / "out")
    assert page == tmp_path / "out" / "report.html"
    assert (tmp_path / "out" / "learning_curve.png").stat().st_size > 1000
    assert (tmp_path / "out" / "library_graph.png").stat().st_size > 1000
    text = page.read_text()
    rec = read_run(rundir)
    assert rec.library.routines and len(rec.figures) == 2
    for r in rec.library.routines:  # every routine with its definition and type
        view = rec.library.show(r.name)
        assert f"<code>{r.name}</code>" in text
        assert escape(view.definition) in text and escape(view.type) in text
    for task, program in rec.solutions.items():  # every solved task with its program
        assert escape(task) in text and escape(program) in text
    assert "lists &lt;subset&gt; &amp; co" in text and "<subset>" not in text  # escaped
    assert "<h2>Iterations</h2>" in text and "<h2>Configuration</h2>" in text
    assert f"DSL base (version {rec.library.dsl.version}), started from the base library (version 0)" in text
    assert "<code>library</code>" in text and "&quot;digest&quot;" in text  # the record, in the configuration
    # self-contained: both pictures embedded, nothing fetched from elsewhere
    images = re.findall(r'<img src="([^"]+)"', text)
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    assert base64.b64decode(images[0].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "http://" not in text and "https://" not in text and "<script" not in text


def escape(text):
    import html

    return html.escape(text)


def test_report_command(rundir, capsys):
    assert main(["report", str(rundir)]) == 0
    assert (rundir / "report" / "report.html").is_file()
    assert "report written to" in capsys.readouterr().out


def test_report_command_refuses_a_missing_or_foreign_directory(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.strip() == f"error: {tmp_path / 'nowhere'}: no such directory"
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not a curriculum run directory (no config.json)" in err and err.count("\n") == 1
    (tmp_path / "config.json").write_text('{"dsl": {"name": "mine", "version": "1", "reference": "nowhere_zz:D"}}')
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / 'config.json'}: the run's DSL 'nowhere_zz:D' cannot be loaded (")
    assert err.rstrip().endswith("give it with --dsl module:attr") and err.count("\n") == 1
    (tmp_path / "config.json").write_text("{broken")
    with pytest.raises(ReportError, match="damaged record"):
        write_report(tmp_path)


def test_report_of_a_run_with_no_finished_iteration(tmp_path):
    lists = {t.name: t for t in get_domain("lists")}
    folder = tmp_path / "run"
    config = CurriculumConfig(iterations=1, budget=60, candidates=2000, library="base", executor="serial")
    Curriculum([lists["add-1"]], folder, config).run()
    (folder / "iterations.jsonl").write_text("")  # as if stopped during the first iteration
    text = write_report(folder).read_text()
    assert "no iteration finished yet" in text


@pytest.mark.slow
def test_report_renders_in_headless_chromium(rundir, tmp_path):
    if not (shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")):
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    page = write_report(rundir, tmp_path / "out")
    shot = tmp_path / "shot.png"
    subprocess.run([str(REPO / "scripts" / "screenshot_report.sh"), str(page), str(shot), "1280,1800"],
                   check=True, timeout=120)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a rendered page, not a blank one


def test_report_lists_neural_routines(rundir, tmp_path):
    from dataclasses import replace

    from neurosym.lang.parser import parse_type
    from neurosym.library.library import NeuralRoutine
    from neurosym.library.store import load_library, save_library

    run = tmp_path / "run"
    shutil.copytree(rundir, run)
    lib = load_library(run / "library")
    reader = NeuralRoutine("digit_reader", parse_type("image -> int"), "neurosym.neural.modules:digit_reader", "{}",
                           b"\x00" * 1234, val_accuracy=0.94, produced_by=("read-digit",))
    save_library(replace(lib, neural=(reader,), _compiled={}), run / "library")
    text = write_report(run).read_text()
    assert "<code>digit_reader</code>" in text and "image -&gt; int" in text and "94.0%" in text and "1,234" in text
