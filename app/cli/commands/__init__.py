"""The headless commands behind ``glabella verify``, ``audit``, ``records`` and ``signing``.

Each takes the data folder and the output streams and returns the exit code:
0 success, 1 the check failed or the work could not be done, 2 a usage or set-up problem.
"""

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
