"""WSGI entry point; production settings unless DJANGO_SETTINGS_MODULE says otherwise.

Page-cache hits are answered before Django's handler runs (``hub.page_cache.PageCacheApplication``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.production")

django_application = get_wsgi_application()

from hub.page_cache import PageCacheApplication  # noqa: E402 (needs the settings and apps loaded above)

application = PageCacheApplication(django_application)
