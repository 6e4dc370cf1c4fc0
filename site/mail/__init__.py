"""Mail: notices to applicants and handlers through an outbox, delivered by ``opengov mail
send`` over SMTP (authentication, STARTTLS or SSL), retried with back-off; staff see the
notices that failed."""
