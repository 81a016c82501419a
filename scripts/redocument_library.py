"""Give the routines of a stored library docs computed from sample runs and names from
their behaviour where it matches a known function (neurosym.library.naming.redocument),
and save it back. Run on purpose, then review with `neurosym library diff`:

    cp -r library /tmp/before && python scripts/redocument_library.py library
    neurosym library diff /tmp/before library
"""

import sys

from neurosym.library.naming import redocument
from neurosym.library.store import load_library, save_library

if __name__ == "__main__":
    folder = sys.argv[1] if len(sys.argv) > 1 else "library"
    before = load_library(folder)
    after = redocument(before)
    for old, new in zip(before.routines, after.routines):
        print(f"{old.name} -> {new.name}: {new.doc}" if old.name != new.name else f"{new.name}: {new.doc}")
    save_library(after, folder)
