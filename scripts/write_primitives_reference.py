"""Write dsl/primitives.toml, the readable reference of the base primitives, from their
records in neurosym/lang/base.py (tests/test_primitives.py checks it is up to date).

Run: python scripts/write_primitives_reference.py
"""

from pathlib import Path

from neurosym.lang.base import base_dsl, write_reference

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "dsl" / "primitives.toml"
    target.write_text(write_reference(base_dsl()))
    print(f"wrote {target}")
