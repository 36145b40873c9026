#!/usr/bin/env bash
# The site's Integrated Composer build, run locally against the emulator:
#
#   sample_site/build.sh [SITE.ENV]      (default acme-web.dev; the emulator at $PANTHEON_EMULATOR_URL)
#
# First `pantheon-emulator doctor` reads composer.json and the code against the site's
# secrets in that environment and stops the build if something will fail (PHP below 8.0,
# a private repository without credentials, a secret of the wrong type or scope).
# Then `pantheon-emulator ic-build` reads the environment's ic-scoped secrets, as Pantheon's
# build does, and runs the build step (this script with --step) with them: composer
# secrets in COMPOSER_AUTH, env secrets as variables. The step validates composer.json
# and checks that each private repository has credentials. A real build would go on to
# `composer install`; set ACME_BUILD_INSTALL=1 to run it (it needs those repositories).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export COMPOSER_ALLOW_SUPERUSER=1  # CI runs as root

# The Composer auth entries composer.json's private repositories need.
REQUIRED_AUTH=(
    http-basic.repo.packagist.com   # the "composer" repository (Private Packagist)
    github-oauth.github.com         # the "vcs" repository (a private GitHub repository)
)

if [[ "${1:-}" == "--step" ]]; then
    cd "$here"
    composer validate --no-check-publish --no-check-lock
    missing=0
    for auth in "${REQUIRED_AUTH[@]}"; do
        if composer config "$auth" >/dev/null 2>&1; then   # the value is never printed
            echo "Credentials for $auth: in place"
        else
            echo "Credentials for $auth: missing"
            missing=1
        fi
    done
    if (( missing )); then
        echo "Build failed: Composer cannot install the private packages without those credentials." >&2
        exit 1
    fi
    if [[ -n "${ACME_BUILD_INSTALL:-}" ]]; then
        composer install --no-dev --no-interaction --optimize-autoloader
    fi
    echo "Build step finished."
    exit 0
fi

# A clean Composer home, so the only credentials are the ones the build sets up.
COMPOSER_HOME="$(mktemp -d)"
export COMPOSER_HOME
trap 'rm -rf "$COMPOSER_HOME"' EXIT
target="${1:-acme-web.dev}"
if [[ "$target" == *.* ]]; then
    pantheon-emulator doctor "$here" --site "${target%%.*}" --env "${target#*.}"
fi
pantheon-emulator ic-build "$target" -- "$here/build.sh" --step
