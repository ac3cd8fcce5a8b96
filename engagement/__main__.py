"""Run the command line: ``python -m engagement --help``."""

import sys

from engagement.cli import main

if __name__ == "__main__":
    sys.exit(main())
