"""Run the command line: ``python -m engagement --help``."""

import sys

from engagement.cli import main

sys.exit(main())
