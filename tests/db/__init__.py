"""Glabella's tests (a package, so `tests.…` is ours, not a dependency's `tests`)."""
