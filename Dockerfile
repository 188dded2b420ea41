# The catalogue's application image (used by docker-compose.yml for `migrate`, `app` and `indexer`).

# The image viewers' offline bundles (OpenSeadragon, Mirador, Universal Viewer), from npm at the
# versions of viewers/package-lock.json: built here, served by the app as static files.
FROM node:20-slim AS viewers
WORKDIR /build
COPY viewers ./viewers
COPY scripts/viewers ./scripts/viewers
RUN mkdir -p catalogue/static && CATALOGUE_VIEWERS_CACHE=/tmp/viewers-cache scripts/viewers

FROM python:3.11-slim
WORKDIR /srv/catalogue
COPY pyproject.toml README.md gunicorn.conf.py ./
COPY catalogue ./catalogue
COPY indexer ./indexer
COPY iiif ./iiif
COPY templates ./templates
COPY --from=viewers /build/catalogue/static/vendor ./catalogue/static/vendor
# editable: the app finds its templates and static files beside the code, in /srv/catalogue
RUN pip install --no-cache-dir -e . && pybabel compile -d catalogue/translations >/dev/null
# The processes run as an unprivileged user that owns only the data folder (media, search files).
# The chown comes before VOLUME: a new named volume starts with the image's /data and its owner.
RUN useradd --system --uid 10001 --user-group --shell /usr/sbin/nologin catalogue \
    && mkdir -p /data \
    && chown catalogue:catalogue /data
ENV CATALOGUE_DATA_DIR=/data
VOLUME ["/data"]
USER catalogue
EXPOSE 8000
# settings: gunicorn.conf.py (on a line of its own: after the JSON form it would make CMD a shell command)
CMD ["gunicorn", "catalogue:create_app()"]
