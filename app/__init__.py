"""Glabella: consultation and consent aid for cosmetic botulinum-toxin treatments."""

__version__ = "0.1.0"
