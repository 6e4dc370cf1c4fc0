"""Commands of the ``opengov`` CLI, one module per area, registered in :mod:`opengov.site.cli`."""
