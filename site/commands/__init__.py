"""Commands of the ``opengov`` CLI, one module per area, registered at the bottom of
``opengov.site.cli``."""
