"""举报投诉 services, the only writers of the feature.

Entry functions (no session; a unit of work per change): :mod:`.public` for the complainant's
pages, :mod:`.staff` for the 主管部门 and the agency complained about, :mod:`.upkeep` for the
daily command, :mod:`.statistics` for the public figures and the annual report. Composable
functions (the caller's session, never a commit): :mod:`.filing` (numbers, the step log and its
derived fields, scope) and :mod:`.notifications`.
"""
