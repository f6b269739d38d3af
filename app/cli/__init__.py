"""The command line and the entry module: `glabella` and its commands, the headless
finalize and the self-test.
"""
