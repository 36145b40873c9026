# A second container for the image tests: PHP reading secrets through the drop-in.
# BASE: the same Debian-based image the emulator image is built from in the test.
ARG BASE=docker.io/library/debian:bookworm-slim
FROM ${BASE}
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends php-cli \
    && rm -rf /var/lib/apt/lists/*
