"""Production: secrets, hosts and the proxy in front come from the environment.

`lindung check --deploy --fail-level WARNING` passes with these settings (a test runs it in CI).
Set at least DJANGO_SECRET_KEY (50+ random characters) and DJANGO_ALLOWED_HOSTS; behind a TLS
proxy also DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https and DJANGO_PROXY_COUNT=1, and
DJANGO_CSRF_TRUSTED_ORIGINS=https://lindung.example.go.id when the proxy changes the host.
"""

from django.core.exceptions import ImproperlyConfigured

from config import env
from config.settings.base import *  # noqa: F403

if not env.text("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env.items("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the host(s) the site is served under.")
CSRF_TRUSTED_ORIGINS = env.items("DJANGO_CSRF_TRUSTED_ORIGINS")
DEBUG = False

# The proxy that ends TLS says so in a header ("HTTP_X_FORWARDED_PROTO,https"); unset: no proxy.
_proxy_header = env.items("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (_proxy_header[0], _proxy_header[1]) if len(_proxy_header) == 2 else None
# How many proxies sit in front, so that lockouts and token limits see the client's address.
AXES_IPWARE_PROXY_COUNT = int(env.text("DJANGO_PROXY_COUNT", "0")) or None

SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", True)
# The health check is asked over plain HTTP on the machine itself (systemd, the proxy, a monitor).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Errors to an error tracker (Sentry or a compatible one such as GlitchTip), off unless a DSN is set.
# No personal data leaves: no request bodies, cookies, users' names or query strings.
_SENTRY_DSN = env.text("LINDUNG_SENTRY_DSN")
if _SENTRY_DSN:
    from lindung.core.observability import init_error_tracker

    init_error_tracker(_SENTRY_DSN, environment=env.text("LINDUNG_SENTRY_ENVIRONMENT", "production"))
