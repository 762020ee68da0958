#!/usr/bin/env bash
# Runs a command with DATABASE_URL set to this machine's own PostgreSQL 15 (or the
# installation in $HUME_PG_BIN), started on a free loopback port in a temp folder and
# stopped afterwards, whatever happens.
#   packages/postgres/scripts/with-system-postgres.sh pnpm --filter @hume/postgres test
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec node "$here/with-postgres.mjs" --system "${HUME_PG_BIN:-/usr/lib/postgresql/15/bin}" -- "$@"
