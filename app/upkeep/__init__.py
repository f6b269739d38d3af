"""Keeping the records safe over the years: backups, the doctor's health checks, where the
data folder is.
"""
