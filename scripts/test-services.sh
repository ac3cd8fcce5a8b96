#!/usr/bin/env bash
# What the test suite needs beyond Python packages, installed or started here:
#  - Debian's chromium for the browser tests (Playwright drives it; `playwright install`
#    cannot download browsers offline, and is never used);
#  - the local PostgreSQL server, when TEJIDO_TEST_POSTGRES_URL is set and it is stopped.
set -uo pipefail

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium for the browser tests (apt-get)"
    (apt-get install -y -q chromium >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }) ||
      echo "warning: could not install chromium; browser tests will be skipped" >&2
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get install -y -q chromium >/dev/null 2>&1 ||
      echo "warning: could not install chromium; browser tests will be skipped" >&2
  else
    echo "note: chromium is not installed (apt-get install chromium); browser tests will be skipped" >&2
  fi
fi

# nginx for the deployment recipe's test (tests/multiserver/test_deploy_recipe.py); the
# test runs its own nginx on free ports and skips, saying why, when nginx is absent.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing nginx for the deployment recipe test (apt-get)"
    apt-get install -y -q nginx >/dev/null 2>&1 ||
      echo "warning: could not install nginx; the recipe test will be skipped" >&2
    # Debian starts the packaged nginx on port 80: the tests never use it.
    command -v systemctl >/dev/null 2>&1 && systemctl disable --now nginx >/dev/null 2>&1
  else
    echo "note: nginx is not installed (apt-get install nginx); the recipe test will be skipped" >&2
  fi
fi

if [ -n "${TEJIDO_TEST_POSTGRES_URL:-}" ] && command -v pg_isready >/dev/null 2>&1; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      echo "Starting the local PostgreSQL server"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
  fi
fi
exit 0
