"""gunicorn settings for the hub: ``gunicorn -c deploy/gunicorn.conf.py`` (systemd, Procfile, make serve).

Every value can be changed from the environment, so one file serves every host:
GUNICORN_BIND (default 127.0.0.1:8001), WEB_CONCURRENCY (workers, default 2 x CPUs + 1),
GUNICORN_THREADS (default 1), GUNICORN_TIMEOUT (seconds, default 30).
Logs go to standard error as one JSON object per line (the hub's structured format). gunicorn
writes no access log: each request already has one line, the app's ``request_finished`` (with the
request id nginx passes in X-Request-ID, see hub.request_log), and nginx keeps its own access log
with the same id; a second line per request from gunicorn would double the volume and the alerts.
"""

import json
import logging
import multiprocessing
import os
import time
from pathlib import Path

from gunicorn.glogging import Logger

wsgi_app = "hub.wsgi:application"
chdir = str(Path(__file__).resolve().parent.parent)
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request the app has not answered in 30 s is killed (nginx gives up at 60 s); a slow client
# is nginx's problem, not a worker's, since nginx buffers requests and responses.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory: a slow or full disk cannot get workers killed, and the app writes
# nothing to disk (with shared media storage, no file at all).
SHARED_MEMORY = "/dev/shm"  # noqa: S108 (gunicorn's documented choice for worker_tmp_dir)
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
# nginx on the same host is the only proxy whose X-Forwarded-* headers gunicorn believes.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# One line per request is the app's (request_finished); no gunicorn access log (see the docstring).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "hub"
# No control socket (gunicorn 25+): a fixed per-user path would clash between two instances on a
# host, and systemd already restarts and reloads (HUP) the server.
control_socket_disable = True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the exception if any)."""

    def format(self, record):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class JsonLogger(Logger):
    """gunicorn's logger writing JSON lines; its access log stays off (``accesslog = None``)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())


logger_class = JsonLogger
