"""The one NinjaAPI at /api/v1. Each app adds its router here."""

from lindung.accounts.api import router as accounts_router
from lindung.accounts.auth import BearerToken
from lindung.calculator.api import router as calculator_router
from lindung.claims.api import router as claims_router
from lindung.contributions.api import router as contributions_router
from lindung.core.problems import ProblemDocumentingAPI, install_problem_handlers
from lindung.monitoring.api import router as monitoring_router
from lindung.offices.api import router as offices_router
from lindung.outreach.api import router as outreach_router
from lindung.regions.api import router as regions_router
from lindung.registry.api import router as registry_router

api = ProblemDocumentingAPI(
    title="Lindung API",
    version="1",
    description=(
        "Jaminan sosial ketenagakerjaan untuk pemerintah daerah. Every endpoint needs "
        "`Authorization: Bearer <token>` (get one with `lindung api_token USERNAME`) and answers "
        "only about the regions of that token's user, except the public calculators under /rules. "
        "Errors are application/problem+json."
    ),
    auth=BearerToken(),
    urls_namespace="api",
)
install_problem_handlers(api)
api.add_router("/regions", regions_router, tags=["regions"])
api.add_router("/me", accounts_router, tags=["accounts"])
api.add_router("/offices", offices_router, tags=["offices"])
api.add_router("/rules", calculator_router, tags=["rules"])
api.add_router("/", registry_router, tags=["registry"])
api.add_router("/", contributions_router, tags=["contributions"])
api.add_router("/", claims_router, tags=["claims"])
api.add_router("/", outreach_router, tags=["target lists"])
api.add_router("/", monitoring_router, tags=["monitoring"])
