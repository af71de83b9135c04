# Agora web, worker and beat image: `docker compose up` runs all three from it.
FROM python:3.11-slim

# Static files in production: hashed names and compressed copies, served by WhiteNoise from
# the folder collectstatic fills below (not from the app folders). The settings refuse to load
# without a SECRET_KEY of their own; collectstatic signs nothing, so the build gives it a
# throwaway one (not kept in the image: the running containers get theirs from compose). gunicorn reads its number
# of worker processes from WEB_CONCURRENCY; override it per machine.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage \
    WHITENOISE_USE_FINDERS=false \
    MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3

WORKDIR /app

# Dependencies first, in their own layer: a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
    && SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput \
    && groupadd --system agora \
    && useradd --system --gid agora --home-dir /app --shell /usr/sbin/nologin agora \
    && mkdir -p /app/media /app/private_media \
    && chown agora:agora /app/media /app/private_media

# Never run as root: the app only writes uploaded media and data exports.
USER agora

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
