"""The read-only public content API at /api/v2/ (part of the URL contract; see the README).

- ``pages``: live pages without view restrictions of the site asked for (Wagtail's own rule).
- ``documents`` and ``images``: only files that live public pages use (``hub.files``), so a file
  uploaded for a draft stays unlisted until the page is published. Images carry no
  ``download_url``: original images are never served directly.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from hub.files import public_files


def _without(fields, *names):
    return [field for field in fields if field not in names]


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Documents that live public pages use."""

    def get_queryset(self):
        return public_files(super().get_queryset())


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """Images that live public pages use, without a link to the original file."""

    meta_fields = _without(ImagesAPIViewSet.meta_fields, "download_url")
    listing_default_fields = _without(ImagesAPIViewSet.listing_default_fields, "download_url")
    nested_default_fields = _without(ImagesAPIViewSet.nested_default_fields, "download_url")

    def get_queryset(self):
        return public_files(super().get_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
