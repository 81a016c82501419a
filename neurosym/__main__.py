"""`python -m neurosym ...`: the `neurosym` command, for environments without the script."""

import sys

from neurosym.cli import main

sys.exit(main())
