"""`python -m app` runs the same command line as the `glabella` script."""

import sys

from app.cli.main import main

sys.exit(main())
