"""The consent-summary PDF (reportlab; no Qt). ``render_consent_pdf`` is the entry point."""

from app.document.pdf.render import render_consent_pdf

__all__ = ["render_consent_pdf"]
