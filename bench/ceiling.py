"""A bare WSGI app answering a 20 KB HTML page: the most this server stack can serve here.

Run it under the same gunicorn settings as the hub (`bench/run.py` runs `gunicorn bench.ceiling:application -w 2 -b
127.0.0.1:8102`) and measure it in the same run: hub figures are read as a share of it.
"""

BODY = (
    b"<!doctype html><html><head><title>ceiling</title></head><body>"
    + (b"<p>" + b"lorem ipsum " * 8 + b"</p>\n") * 190
    + b"</body></html>"
)


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))])
    return [BODY]
