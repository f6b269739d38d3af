"""Certifying consent PDFs with the clinic's own signing identity (pyHanko, cryptography).

Nothing is imported here: the modules load cryptography and pyHanko, which the window must
not pay for at start-up. Import ``app.document.signing.identity``, ``.certify`` or ``.certifier``.
"""
