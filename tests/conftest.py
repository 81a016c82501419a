"""Shared test fixtures: where the repository and the shared benchmark data are."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DREAMCODER_TASKS = SHARED / "benchmarks" / "dreamcoder" / "list_tasks.json"
