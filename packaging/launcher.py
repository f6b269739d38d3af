"""Entry script PyInstaller freezes: the same command line as the `glabella` script."""

import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
