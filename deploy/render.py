"""Render the nginx and Varnish configurations of ``deploy/`` for a host, from the hub's environment.

    python deploy/render.py nginx --out /etc/nginx/hub      # hub.conf (+ http.conf, server.conf)
    python deploy/render.py varnish --out /etc/varnish/hub.vcl
    python deploy/render.py s3-policy                       # the bucket policy (HUB_MEDIA_STORAGE=s3)

Templates are the ``*.in`` files beside this one; ``@NAME@`` marks a value filled in here (nginx
uses ``$`` for its own variables). The same functions render the configuration ``make serve``
and the production smoke test run as an ordinary user (``local.conf.in``).

Environment read (all optional): HUB_STATIC_ROOT, HUB_MEDIA_ROOT, HUB_MEDIA_STORAGE with the
AWS_* variables (renditions proxied from the bucket), HUB_APP_SERVERS (comma-separated
host:port of the gunicorn instances, default 127.0.0.1:8001), HUB_FRONTEND_CACHE_URL (nginx then
proxies to Varnish), HUB_SERVER_NAME (default: ALLOWED_HOSTS), HUB_TLS_CERTIFICATE and
HUB_TLS_CERTIFICATE_KEY (default: Debian's snakeoil pair).
"""

import argparse
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
NGINX_MODULES = Path("/usr/lib/nginx/modules")
BROTLI_MODULES = ("ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so")


def fill(template, values):
    """The template with every ``@NAME@`` replaced; a name without a value is an error."""
    text = (HERE / template).read_text()

    def value(match):
        name = match.group(1)
        if name not in values:
            raise KeyError(f"{template} needs a value for @{name}@")
        return str(values[name])

    return re.sub(r"@([A-Z][A-Z0-9_]*)@", value, text)


def env_path(env, name, default):
    """The absolute path in ``env[name]``, or ``default``: always from the environment being rendered."""
    return Path(env.get(name) or default).resolve()


def app_servers(env=os.environ):
    """host:port of every gunicorn instance (HUB_APP_SERVERS)."""
    return [item.strip() for item in env.get("HUB_APP_SERVERS", "127.0.0.1:8001").split(",") if item.strip()]


def brotli_available():
    """Whether Debian's brotli modules for nginx are installed (libnginx-mod-http-brotli-*)."""
    return all((NGINX_MODULES / name).exists() for name in BROTLI_MODULES)


def bucket_images_url(env=os.environ):
    """Where the bucket keeps renditions (images/), for nginx to proxy /media/images/ to."""
    bucket = env["AWS_STORAGE_BUCKET_NAME"]
    prefix = env.get("AWS_LOCATION", "").strip("/")
    prefix = f"{prefix}/" if prefix else ""
    endpoint = env.get("AWS_S3_ENDPOINT_URL", "").rstrip("/")
    if endpoint:
        return f"{endpoint}/{bucket}/{prefix}images/"
    region = env.get("AWS_S3_REGION_NAME", "us-east-1")
    return f"https://{bucket}.s3.{region}.amazonaws.com/{prefix}images/"


def bucket_policy(env=os.environ):
    """The bucket policy the hub expects: anyone may read renditions (images/), nothing else.

    Originals and documents stay private: the hub reads them with its credentials and serves
    documents through its permission-checking view. Apply it once, e.g.
    ``aws s3api put-bucket-policy --bucket $AWS_STORAGE_BUCKET_NAME --policy "$(python deploy/render.py s3-policy)"``.
    """
    bucket = env["AWS_STORAGE_BUCKET_NAME"]
    prefix = env.get("AWS_LOCATION", "").strip("/")
    prefix = f"{prefix}/" if prefix else ""
    statement = {
        "Sid": "PublicImageRenditions",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/{prefix}images/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)


def media_images_location(env=os.environ):
    """The body of nginx's /media/images/ location: the disk, or a proxy to the bucket."""
    if env.get("HUB_MEDIA_STORAGE", "local").lower() == "s3":
        url = bucket_images_url(env)
        return "\n".join(
            [
                "    limit_except GET { deny all; }",
                f"    proxy_pass {url};",
                f"    proxy_set_header Host {urlsplit(url).netloc};",
                '    proxy_set_header Authorization "";',
                '    proxy_set_header Cookie "";',
                "    proxy_ssl_server_name on;",
                "    proxy_ignore_headers Set-Cookie Cache-Control Expires;",
                "    proxy_hide_header Set-Cookie;",
                "    proxy_hide_header Cache-Control;",
                "    proxy_hide_header x-amz-request-id;",
                "    proxy_hide_header x-amz-id-2;",
            ]
        )
    media_root = env_path(env, "HUB_MEDIA_ROOT", BASE_DIR / "media")
    return f"    alias {media_root}/images/;"


def render_nginx_common(out_dir, env=os.environ, access_log="/var/log/nginx/hub.access.log"):
    """Write http.conf and server.conf into out_dir (shared by the host and local configurations)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if env.get("HUB_FRONTEND_CACHE_URL"):
        upstreams = [urlsplit(env["HUB_FRONTEND_CACHE_URL"]).netloc]
    else:
        upstreams = app_servers(env)
    brotli = brotli_available()
    values = {
        "UPSTREAM_SERVERS": "\n".join(f"    server {server} max_fails=1 fail_timeout=5s;" for server in upstreams),
        "BROTLI": (
            "brotli on;\nbrotli_comp_level 5;\nbrotli_types text/plain text/css text/xml text/calendar "
            "application/javascript application/json application/xml application/rss+xml "
            "application/atom+xml image/svg+xml;"
            if brotli
            else "# brotli: not installed (apt-get install libnginx-mod-http-brotli-filter), gzip only"
        ),
        "BROTLI_STATIC": "    brotli_static on;" if brotli else "",
        "STATIC_ROOT": env_path(env, "HUB_STATIC_ROOT", BASE_DIR / "static"),
        "MEDIA_ROOT": env_path(env, "HUB_MEDIA_ROOT", BASE_DIR / "media"),
        "MEDIA_IMAGES": media_images_location(env),
        "ACCESS_LOG": access_log,
        "OUT_DIR": out_dir,
    }
    (out_dir / "http.conf").write_text(fill("nginx/http.conf.in", values))
    (out_dir / "server.conf").write_text(fill("nginx/server.conf.in", values))


def render_nginx_site(out_dir, env=os.environ):
    """The configuration of a real host: hub.conf (TLS on 443, redirect from 80) and its includes."""
    out_dir = Path(out_dir).resolve()
    render_nginx_common(out_dir, env)
    hosts = [host for host in env.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
    values = {
        "OUT_DIR": out_dir,
        "SERVER_NAME": env.get("HUB_SERVER_NAME") or " ".join(hosts) or "_",
        "TLS_CERTIFICATE": env.get("HUB_TLS_CERTIFICATE", "/etc/ssl/certs/ssl-cert-snakeoil.pem"),
        "TLS_CERTIFICATE_KEY": env.get("HUB_TLS_CERTIFICATE_KEY", "/etc/ssl/private/ssl-cert-snakeoil.key"),
    }
    path = out_dir / "hub.conf"
    path.write_text(fill("nginx/hub.conf.in", values))
    return path


def render_nginx_local(out_dir, listen, env=os.environ, tls_certificate=None, tls_key=None):
    """A whole nginx.conf for an unprivileged nginx in out_dir (``nginx -p out_dir -c nginx.conf``)."""
    out_dir = Path(out_dir).resolve()
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (out_dir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    render_nginx_common(out_dir, env, access_log=out_dir / "access.log")
    if tls_certificate:
        listen_lines = f"listen {listen} ssl;\n        ssl_certificate {tls_certificate};\n        ssl_certificate_key {tls_key};"
    else:
        listen_lines = f"listen {listen};"
    modules = "\n".join(f"load_module {NGINX_MODULES / name};" for name in BROTLI_MODULES) if brotli_available() else ""
    # Run as an ordinary user, nginx's workers are that user. Started by root (CI, containers), its
    # workers would become "nobody" and could not read the caller's private temporary folder.
    user = "user root;" if os.geteuid() == 0 else ""
    values = {
        "USER": user,
        "OUT_DIR": out_dir,
        "LISTEN": listen_lines,
        "LOAD_MODULES": modules,
        "MIME_TYPES": "/etc/nginx/mime.types",
    }
    path = out_dir / "nginx.conf"
    path.write_text(fill("nginx/local.conf.in", values))
    return path


def render_vcl(path, env=os.environ, purgers=("127.0.0.1", "::1")):
    """Varnish's VCL with one backend per app server (HUB_APP_SERVERS) and the hosts allowed to purge."""
    # Health probes ask /healthz as the site's own host over "https", as nginx would.
    health_host = (env.get("HUB_SERVER_NAME") or env.get("ALLOWED_HOSTS") or "localhost").split(",")[0].split()[0]
    backends, members = [], []
    for index, server in enumerate(app_servers(env)):
        host, _, port = server.rpartition(":")
        backends.append(
            f'backend app{index} {{\n    .host = "{host}";\n    .port = "{port}";\n'
            f'    .connect_timeout = 2s;\n    .first_byte_timeout = 60s;\n'
            f"    .probe = {{\n        .request = \"GET /healthz HTTP/1.1\" \"Host: {health_host}\"\n"
            f'            "X-Forwarded-Proto: https" "Connection: close";\n'
            f"        .interval = 5s; .timeout = 2s; .window = 3; .threshold = 2;\n    }}\n}}"
        )
        members.append(f"    app.add_backend(app{index});")
    values = {
        "BACKENDS": "\n\n".join(backends),
        "DIRECTOR_MEMBERS": "\n".join(members),
        "PURGERS": "\n".join(f'    "{host}";' for host in purgers),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fill("varnish/hub.vcl.in", values))
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("what", choices=["nginx", "varnish", "s3-policy"])
    parser.add_argument("--out", help="nginx: a folder; varnish: the .vcl file (s3-policy prints the policy)")
    args = parser.parse_args(argv)
    if args.what == "s3-policy":
        print(bucket_policy())
        return 0
    if not args.out:
        parser.error("--out is required")
    if args.what == "nginx":
        print(render_nginx_site(args.out))
    else:
        print(render_vcl(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
