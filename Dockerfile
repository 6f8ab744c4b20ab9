# Multi-stage build: dependencies and the package are installed into a virtual
# environment in the build stage; the final stage copies only that environment.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --no-deps -r requirements.lock
COPY pyproject.toml README.md alembic.ini ./
COPY service ./service
RUN /opt/venv/bin/pip install --no-deps .

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BIND=0.0.0.0:8000 \
    SEEDS_DIR=/app/seeds \
    PGDATA_DIR=/app/var/pgdata
# A named, unprivileged user: the embedded PostgreSQL (used when DATABASE_URL is
# unset) refuses to run for a uid without a passwd entry.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app \
 && install -d -o app -g app /app /app/var
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY seeds ./seeds
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=4)"]
CMD ["python", "-m", "service", "serve"]
