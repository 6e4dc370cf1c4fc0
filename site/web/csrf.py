"""The site's CSRF protection (Flask-WTF), initialised by the app factory.

A form that checks its own token — so that an expired token keeps what was typed instead of
ending on the global error page — is exempted with ``csrf.exempt(view)``.
"""

from flask_wtf import CSRFProtect

csrf = CSRFProtect()
