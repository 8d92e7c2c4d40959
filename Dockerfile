# The API and the worker share one image; docker-compose.yml picks the command.
# Production dependencies only, exactly as locked (requirements.lock: `make lock`); the JDK
# wheel, embedded Redis and benchmark tools (the `local` and `dev` extras) stay out.
FROM python:3.11.14-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 SOZIALATLAS_STATE_DIR=/var/lib/sozialatlas
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY configuration ./configuration
COPY directory ./directory
COPY sozialatlas ./sozialatlas
COPY analyzers ./analyzers
COPY indexer ./indexer
COPY workers ./workers
COPY api ./api
RUN pip install --no-cache-dir --no-deps . && useradd --system --create-home app \
    && mkdir -p /var/lib/sozialatlas && chown app /var/lib/sozialatlas
USER app
EXPOSE 8000
CMD ["sozialatlas", "serve", "--bind", "0.0.0.0:8000"]
