"""The public blueprint: catalog pages, search, the request form and request status.

Each feature's ``views`` registers its public routes on :data:`bp`; the app factory imports
them before registering the blueprint.
"""

from flask import Blueprint

bp = Blueprint("public", __name__)

#: URL parts for database ids. Beyond a 32-bit INTEGER the database would raise (a 500);
#: with ``max`` such URLs are simply 404.
DOCUMENT_ID = "<int(max=2147483647):document_id>"
ATTACHMENT_ID = "<int(max=2147483647):attachment_id>"
