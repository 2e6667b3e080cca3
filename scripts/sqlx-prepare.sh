#!/usr/bin/env bash
# Refreshes .sqlx/, the offline query data that lets `query!` be checked at compile time
# without a database (CI builds with SQLX_OFFLINE=true). Run after changing a migration or
# a query, and commit .sqlx/. Same job as `cargo sqlx prepare`, without installing sqlx-cli:
# the sqlx macros write their data to SQLX_OFFLINE_DIR when it is set.
set -euo pipefail
cd "$(dirname "$0")/.."
db="$PWD/target/sqlx-prepare.db"
rm -f "$db"
mkdir -p target
python3 - "$db" server/migrations/*.sql <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for path in sys.argv[2:]:
    con.executescript(open(path, encoding="utf-8").read())
con.commit()
PY
rm -rf .sqlx && mkdir .sqlx
# Touch the sources so every query macro expands again.
find server/src server/tests -name '*.rs' -exec touch {} +
DATABASE_URL="sqlite://$db" SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$PWD/.sqlx" \
  cargo check -p server --all-targets --quiet
echo "wrote $(ls .sqlx | wc -l) queries to .sqlx/"
