#!/bin/sh
# Creates Temporal's two databases (history and visibility) on its own PostgreSQL and brings their
# schemas up to the versions this admin-tools image ships. Safe to re-run: `create` of an existing
# database fails harmlessly, and update-schema only applies what is missing. Run by compose.yaml's
# `temporal-schema` service (temporalio/admin-tools) before the server starts.
set -eu
: "${SQL_HOST:=temporal-postgres}" "${SQL_PORT:=5432}" "${SQL_USER:=temporal}"
export SQL_PASSWORD
tool() { temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"; }
schemas=/etc/temporal/schema/postgresql/v12

for db in temporal temporal_visibility; do
  tool --db "$db" create || echo "database $db exists"
done
# setup-schema -v 0.0 creates the version table on a fresh database; on a later start it may
# report that it exists, which is fine — update-schema (which must succeed) does the real work.
tool --db temporal setup-schema -v 0.0 || echo "temporal: schema already initialised"
tool --db temporal update-schema -d "$schemas/temporal/versioned"
tool --db temporal_visibility setup-schema -v 0.0 || echo "temporal_visibility: schema already initialised"
tool --db temporal_visibility update-schema -d "$schemas/visibility/versioned"
echo "Temporal schemas are up to date"
