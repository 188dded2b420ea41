# The catalogue's application image (used by docker-compose.yml for `app` and `indexer`).
FROM python:3.11-slim
WORKDIR /srv/catalogue
COPY pyproject.toml README.md gunicorn.conf.py ./
COPY catalogue ./catalogue
COPY indexer ./indexer
COPY iiif ./iiif
COPY templates ./templates
RUN pip install --no-cache-dir . gunicorn
ENV CATALOGUE_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["gunicorn", "catalogue:create_app()"]   # settings: gunicorn.conf.py
