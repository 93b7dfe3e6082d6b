# The accountability GraphQL service. Point it at Neo4j with ACCOUNTABILITY_DB_URI
# (see docker-compose.yml and docs/neo4j.md); unset, it starts the embedded engine.
# The workbench (web/) is built with Node.js in a stage of its own; only its build is kept.
FROM node:20-slim AS web
WORKDIR /src
COPY schema/schema.graphql schema/
COPY web/package.json web/package-lock.json web/
RUN npm ci --prefix web --no-audit --no-fund
COPY web/ web/
RUN npm run --prefix web build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ACCOUNTABILITY_HOST=0.0.0.0 \
    ACCOUNTABILITY_PORT=8000 \
    ACCOUNTABILITY_DATA_DIR=/app/data

WORKDIR /app

# The package is installed editable: cypher/ and schema/ are read from the repo layout.
COPY pyproject.toml README.md ./
COPY accountability/ accountability/
COPY cypher/ cypher/
COPY schema/ schema/
COPY --from=web /src/web/dist web/dist
RUN pip install --no-cache-dir -e . \
    && useradd --system --create-home --uid 10001 app \
    && mkdir -p /app/data \
    && chown app:app /app/data

USER app

EXPOSE 8000

# Liveness only; docker-compose.yml checks readiness (/readyz, database reachable).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]

CMD ["accountability", "serve", "--host", "0.0.0.0", "--port", "8000"]
