"""征求意见 services, the only writers of the feature.

Entry functions (no session; a unit of work per change): :mod:`.drafting` (staff: draft,
review and publish, extend, publish the feedback, link the decision), :mod:`.moderation`
(staff: comments and their groups), :mod:`.public` (the public pages, the API, the feed, the
home page), :mod:`.statistics` (互动交流 figures), :mod:`.content` (the demo content),
:mod:`.upkeep` (the daily anonymisation of commenters).
Composable functions (the caller's session, never a commit): :mod:`.documents` (the
consultation's catalog document, through the catalog's own functions), :mod:`.notifications`.
"""
