"""Shared media storage: uploads in an S3-compatible bucket (django-storages), for several app servers.

Chosen by ``HUB_MEDIA_STORAGE=s3`` (``hub.settings.base.media_storage``).
"""

from urllib.parse import urljoin

from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from django.conf import settings
from django.utils.encoding import filepath_to_uri


class S3MediaStorage(S3Storage):
    """Files in a bucket, addressed under ``MEDIA_URL`` rather than by bucket URLs.

    Only image renditions (``images/``) are ever fetched by visitors, from nginx (which proxies
    ``/media/images/`` to the bucket, so the strict CSP's ``img-src 'self'`` holds) or from a CDN
    whose address is ``HUB_MEDIA_URL``. Documents are streamed by the hub's serve view, and
    original images are never linked.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        # Without the bucket's AWS_LOCATION prefix: whoever serves MEDIA_URL maps it onto the bucket.
        return urljoin(settings.MEDIA_URL, filepath_to_uri(clean_name(name)).lstrip("/"))
