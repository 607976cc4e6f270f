# SmartRunning for machines that outgrow one: the same image runs the web server, the
# queue workers and the migration job (deploy/compose.yaml, deploy/kubernetes/).
# Configuration is environment only (.env.example). It runs as user 10001, numeric so that
# Kubernetes can check runAsNonRoot, and needs no writable root filesystem: only /tmp
# (uploads spooled to disk) and, without DATABASE_URL and REDIS_URL, the instance folder.

FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
 && mkdir vendor \
 && cp node_modules/bootstrap/dist/css/bootstrap.min.css \
       node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
       node_modules/chart.js/dist/chart.umd.min.js \
       node_modules/swagger-ui-dist/swagger-ui-bundle.js \
       node_modules/swagger-ui-dist/swagger-ui.css vendor/

FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    SMARTRUNNING_ENV=production \
    SMARTRUNNING_INSTANCE=/var/lib/smartrunning \
    HOST=0.0.0.0 \
    PORT=5000
RUN pip install --no-cache-dir "uv==0.13.8" \
 && groupadd --system --gid 10001 smartrunning \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
      --home-dir /var/lib/smartrunning smartrunning \
 && mkdir -p /var/lib/smartrunning && chown 10001:10001 /var/lib/smartrunning
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY src ./src
COPY --from=assets /build/vendor ./src/smartrunning/platform/static/vendor
# Bytecode compiled at build time: the app's user cannot write __pycache__ in /opt/venv,
# and without it every process (web worker, queue worker, CLI) compiles ~5,000 modules
# at start (~2 s of CPU each).
RUN uv sync --frozen --no-dev --no-editable --compile-bytecode
USER 10001:10001
EXPOSE 5000
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/healthz', timeout=5)"]
CMD ["smartrunning", "serve", "--host", "0.0.0.0", "--port", "5000"]
