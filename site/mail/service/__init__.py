"""Services of the mail feature: :mod:`.outbox` (queue a notice in the caller's
transaction), :mod:`.transport` (the SMTP connection), :mod:`.sender` (``opengov mail
send``), :mod:`.staff` (the failed notices page)."""
