"""Services of running the site: :mod:`.health` (liveness, readiness, ``opengov status``),
:mod:`.backup` (``opengov backup``/``restore``), :mod:`.copying` (``opengov db copy``),
:mod:`.upgrade` (``opengov upgrade``)."""
