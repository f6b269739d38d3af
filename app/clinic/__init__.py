"""The clinic's own setup: its details, its staff, its settings and its medical director's
review of the content.
"""
