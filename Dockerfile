# The Pantheon secrets emulator as an OCI image (docs/container.md).
#
#   docker build -t pantheon-secrets-emulator .
#   docker run --rm -p 127.0.0.1:8770:8770 pantheon-secrets-emulator
#
# BASE is any image with Python 3.10+ and its venv module; the default is the public slim one.
ARG BASE=docker.io/library/python:3.11-slim-bookworm

# -- build: a virtual environment holding the emulator and its dependencies -------------
FROM ${BASE} AS build
COPY . /src
RUN python3 -m venv /opt/pantheon-emulator/venv \
    && /opt/pantheon-emulator/venv/bin/pip install --no-cache-dir --disable-pip-version-check /src \
    && /opt/pantheon-emulator/venv/bin/pip uninstall -y -q pip \
    && mkdir -p /opt/pantheon-emulator/php \
    && cp /src/emulator/client/php/pantheon_get_secret.php /opt/pantheon-emulator/php/ \
    && find /opt/pantheon-emulator -name '__pycache__' -prune -exec rm -rf {} +

# -- run: the base, the environment, a user, nothing else ---------------------------------
FROM ${BASE}
COPY --from=build /opt/pantheon-emulator /opt/pantheon-emulator
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin emulator \
    && mkdir -p /data \
    && chown emulator:emulator /data \
    && chmod 0700 /data

# Configured only by PANTHEON_EMULATOR_* variables (docs/api.md, docs/container.md).
# Inside the container the emulator listens on every interface ON PURPOSE: that is how other
# containers and a published port reach it. Publish it on 127.0.0.1 only (-p 127.0.0.1:8770:8770).
# Requests must still name it by an allowed host (a guard against DNS rebinding): localhost and
# the recipes' service name by default; add yours in PANTHEON_EMULATOR_ALLOWED_HOSTS.
ENV PATH=/opt/pantheon-emulator/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PANTHEON_EMULATOR_HOST=0.0.0.0 \
    PANTHEON_EMULATOR_PORT=8770 \
    PANTHEON_EMULATOR_DB=/data/store.sqlite3 \
    PANTHEON_EMULATOR_ALLOWED_HOSTS=localhost,127.0.0.1,pantheon-secrets \
    PANTHEON_EMULATOR_CONTAINER=1

# The world (an SQLite file) lives here; mount a volume to keep it.
VOLUME ["/data"]
WORKDIR /data
USER emulator:emulator
EXPOSE 8770

# No curl in the slim image: Python asks the health route.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_emulator/health' % os.environ.get('PANTHEON_EMULATOR_PORT', '8770'), timeout=2)"]

# The shell only sets a private umask (the store holds secret values: files 0600) and then
# execs: the emulator itself is PID 1 and stops cleanly on SIGTERM (docker stop, podman stop).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/bin/sh", "-c", "umask 077 && exec pantheon-emulator \"$@\"", "pantheon-emulator"]
CMD ["serve"]
