"""The browser tests' server: the site's URLs, plus the uploaded media (nginx serves them in production)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from hub.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>images/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
