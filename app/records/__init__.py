"""Finding and exporting stored records: search, the records screen's view model, FHIR and
CSV exports.
"""
