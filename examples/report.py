"""A small curriculum run on two local worker processes, then its HTML report.

Run: python examples/report.py [RUNDIR]     (then open RUNDIR/report/report.html)

The same run on a Ray cluster: `ns.CurriculumConfig(..., executor="ray", address="auto")`
(`pip install 'neurosym[ray]'`); from the shell, `neurosym curriculum run ... --executor
ray --address auto` and `neurosym report RUNDIR`.
"""

import os
import sys
import tempfile
from pathlib import Path

import neurosym as ns
from neurosym.curriculum.html_report import write_report
from neurosym.domains.registry import get_domain

if __name__ == "__main__":  # worker processes are spawned: keep top-level work under this guard
    small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
    names = ["add-1", "add-2", "add-3", "drop-1", "drop-2", "take-1", "take-2", "sum", "max", "reverse"]
    tasks = [t for t in get_domain("lists") if t.name in names[: 6 if small else None]]
    rundir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "run"
    config = ns.CurriculumConfig(source="examples/report.py", iterations=2, budget=10,
                                 candidates=5_000 if small else 30_000, jobs=2, executor="pool", library="base")
    figures = ns.Curriculum(tasks, rundir, config, on_event=print).run()
    page = write_report(rundir)
    print(f"solved {figures[-1].solved_train}/{figures[-1].total_train}; report: {page}")
