"""Shared test fixtures: where the repository and its vendored benchmark data are."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
DREAMCODER_TASKS = DATA / "dreamcoder" / "list_tasks.json"
PSB1_DATA = DATA / "psb1"
