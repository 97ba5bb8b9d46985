#!/bin/sh
# Prepare wagtail/bakerydemo for `python bench/run.py --compare DIR` (not part of the hub).
#
#   bench/bakerydemo.sh [DIR [REPO]]
#
# DIR: where to install it (default: a new temporary directory); REPO: a git URL or path to clone
# (default https://github.com/wagtail/bakerydemo). Clones REPO into DIR, gives it its own
# virtualenv (requirements/base.txt, plus gunicorn and production.txt's whitenoise), migrates a
# SQLite database, loads its initial data, collects its static files, and prints DIR.
#
# It runs with its own production settings (bakerydemo.settings.production: DEBUG off, so Django's
# cached template loader; its local-memory cache, the default without REDIS_URL). The variables
# those settings read are written to DIR/.env, which bakerydemo's manage.py and wsgi.py load and
# bench/run.py passes to its server: the directory is then usable on its own, e.g.
#   cd DIR && .venv/bin/python -m gunicorn bakerydemo.wsgi -w 2
# PYTHON chooses the interpreter for the virtualenv (default python3).
set -eu

dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/bakerydemo.XXXXXX")}
repo=${2:-https://github.com/wagtail/bakerydemo}
python=${PYTHON:-python3}

log() { echo "$*" >&2; }

if [ -e "$dir/manage.py" ]; then
    log "$dir already holds a checkout: using it"
else
    log "cloning $repo into $dir"
    git clone --quiet "$repo" "$dir"
fi
dir=$(cd "$dir" && pwd)
cd "$dir"

log "virtualenv and requirements (bakerydemo's own, in $dir/.venv)"
[ -x .venv/bin/python ] || "$python" -m venv .venv
# whitenoise is in production.txt with services the benchmark does not use (S3, Elasticsearch,
# uwsgi): take only its pin, as production.py adds its middleware.
whitenoise=$(grep -i '^whitenoise' requirements/production.txt || echo whitenoise)
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/base.txt gunicorn "$whitenoise" >&2

if [ ! -e .env ]; then
    secret=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
    cat > .env <<EOF
DJANGO_SETTINGS_MODULE=bakerydemo.settings.production
DJANGO_SECRET_KEY=$secret
DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,testserver
PRIMARY_HOST=127.0.0.1
SECURE_SSL_REDIRECT=false
DATABASE_URL="sqlite:///$dir/bakerydemodb"
EOF
fi
# The settings come from .env alone, never from the caller's environment (a REDIS_URL or
# DATABASE_URL meant for the hub would otherwise change bakerydemo's cache or database).
in_env() { env -i PATH="$PATH" HOME="${HOME:-/tmp}" PYTHONDONTWRITEBYTECODE=1 sh -c 'set -a; . ./.env; exec "$@"' sh "$@"; }

log "database: migrate, load_initial_data, collectstatic"
in_env .venv/bin/python manage.py migrate --noinput -v0 >&2
if [ "$(in_env .venv/bin/python manage.py shell -v0 -c 'from wagtail.models import Page; print(Page.objects.filter(depth__gt=1).count())' 2>/dev/null | tail -n1)" -gt 1 ]; then
    log "initial data already loaded"
else
    in_env .venv/bin/python manage.py load_initial_data >&2
fi
in_env .venv/bin/python manage.py collectstatic --noinput -v0 >&2

echo "$dir"
