"""依申请公开 services, the only writers of the feature.

Entry functions (no session; a unit of work per change): :mod:`.public` for the applicant's
pages and the statistics, :mod:`.staff` for handling, :mod:`.upkeep` for the daily commands.
Composable functions (the caller's session, never a commit): :mod:`.handling` (filing, the
event log and its derived fields), :mod:`.steps` (which step issues which letter and notice),
:mod:`.letters`, :mod:`.notifications`, :mod:`.statistics`.
"""
