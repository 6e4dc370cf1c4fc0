"""opengov.indexer — Chinese tokenisation, normalisation and the search backends.

It never imports opengov.site: the site depends on the indexer, not the other way round.
"""
