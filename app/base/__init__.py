"""Small pieces every part of Glabella uses: where files live, timestamps, and why a write
failed.
"""
