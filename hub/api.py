"""The read-only public content API at /api/v2/."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import CollectionViewRestriction


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Documents, except those of a collection restricted to signed-in people or groups (and below it)."""

    def get_queryset(self):
        documents = super().get_queryset()
        for path in CollectionViewRestriction.objects.values_list("collection__path", flat=True):
            documents = documents.exclude(collection__path__startswith=path)
        return documents


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
