"""The signed document: finalizing a consent, its PDF, certification, the review render,
re-rendering and verification.
"""
