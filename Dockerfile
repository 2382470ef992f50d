# Augury in a small image: Python slim, the package and its dependencies only, a non-root user.
# Build: docker build -t augury .   Run: see compose.yaml (bot + PostgreSQL).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY db ./db
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
COPY --from=build /install /usr/local
RUN useradd --create-home --uid 10001 augury && mkdir -p /app/data && chown augury /app/data
WORKDIR /app
USER augury
# /healthz and /metrics on 8080, reachable from other containers (Prometheus); SQLite, if used,
# lives in /app/data (mount a volume there).
ENV PYTHONUNBUFFERED=1 \
    METRICS_PORT=8080 \
    METRICS_HOST=0.0.0.0 \
    DATABASE_URL=sqlite+aiosqlite:////app/data/augury.db
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
ENTRYPOINT ["python", "-m", "bot"]
