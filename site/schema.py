"""Every table of the site: importing this module registers each feature's models on
``Base.metadata`` (for Alembic, the app factory and tests that compare models and migrations)."""

from opengov.site.accounts import models as accounts_models
from opengov.site.agencies import models as agencies_models
from opengov.site.audit import models as audit_models
from opengov.site.catalog import models as catalog_models
from opengov.site.complaints import models as complaints_models
from opengov.site.consultations import models as consultations_models
from opengov.site.content import models as content_models
from opengov.site.db import Base
from opengov.site.error_reports import models as error_reports_models
from opengov.site.fiscal import models as fiscal_models
from opengov.site.mail import models as mail_models
from opengov.site.powers import models as powers_models
from opengov.site.ratings import models as ratings_models
from opengov.site.reports import models as reports_models
from opengov.site.requests import models as requests_models
from opengov.site.search import models as search_models
from opengov.site.service_items import models as service_items_models
from opengov.site.standard_catalog import models as standard_catalog_models
from opengov.site.throttle import models as throttle_models
from opengov.site.workdays import models as workdays_models

#: The metadata of every table.
metadata = Base.metadata

FEATURE_MODELS = (accounts_models, agencies_models, audit_models, catalog_models,
                  complaints_models, consultations_models, content_models, error_reports_models,
                  fiscal_models, mail_models, powers_models, ratings_models, reports_models,
                  requests_models, search_models, service_items_models, standard_catalog_models,
                  throttle_models, workdays_models)
