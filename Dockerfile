# Augury in a small image: the package and its dependencies in a venv, a non-root user.
# Build: docker build -t augury .   Run: see compose.yaml (bot + PostgreSQL).
# BASE_IMAGE: any Debian-like image with Python 3.11 and its venv module; the default is the
# official one. CI, which cannot reach Docker Hub, builds on one made from Debian's packages
# (.ci/build-image), and passes pip's index settings as build arguments.
ARG BASE_IMAGE=python:3.11-slim

FROM ${BASE_IMAGE} AS build
# Unset unless given: pip's own defaults.
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_FIND_LINKS
ARG PIP_NO_INDEX
# A venv on both bases (Debian's Python refuses system-wide pip installs, PEP 668).
RUN python3 -m venv /opt/augury
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY db ./db
RUN /opt/augury/bin/pip install --no-cache-dir . && /opt/augury/bin/python -m bot --version

FROM ${BASE_IMAGE}
COPY --from=build /opt/augury /opt/augury
RUN useradd --create-home --uid 10001 augury && mkdir -p /app/data && chown augury /app/data
WORKDIR /app
USER augury
# /healthz and /metrics on 8080 (the health check follows METRICS_PORT), reachable from other containers (Prometheus); SQLite, if used,
# lives in /app/data (mount a volume there).
ENV PATH=/opt/augury/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    METRICS_PORT=8080 \
    METRICS_HOST=0.0.0.0 \
    DATABASE_URL=sqlite+aiosqlite:////app/data/augury.db
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('METRICS_PORT', '8080'), timeout=4)"]
ENTRYPOINT ["python", "-m", "bot"]
