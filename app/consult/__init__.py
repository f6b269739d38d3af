"""The consult itself, Qt-free: the content pack, the patient, the consent being built,
drafts, amendments and the demo consult.
"""
