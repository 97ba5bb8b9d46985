"""Documents on local disk handed to nginx: Wagtail's serve view checks permissions, nginx sends the bytes.

A ``SENDFILE_BACKEND`` for ``wagtail.utils.sendfile`` (set when ``HUB_X_ACCEL_REDIRECT=true``):
the response carries ``X-Accel-Redirect`` to nginx's internal location for ``MEDIA_ROOT`` and no
body. Only a worker-free nginx location can read those files (``deploy/nginx/``).
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse


def sendfile(request, filename, mimetype="application/octet-stream", **kwargs):
    """An empty response telling nginx which file under MEDIA_ROOT to send."""
    try:
        relative = Path(filename).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    except ValueError as outside:
        raise Http404("Not a media file.") from outside
    response = HttpResponse(content_type=mimetype)
    response["X-Accel-Redirect"] = settings.HUB_X_ACCEL_PREFIX + quote(relative.as_posix())
    return response
