"""A running Glabella: the service that ties storage and consult together, the data
folder's lock, the first screen.
"""
