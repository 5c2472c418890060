"""`python -m generator`: the command line lives in generator/cli.py."""

import sys

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main())
