#!/usr/bin/env bash
# Regenerates the reviewed, idempotent SQL scripts in db/ from the EF Core migrations (no database server needed).
# Run after 'dotnet ef migrations add NAME --context <Provider>HealthAssistDbContext --output-dir Migrations/<Provider>'
# for each provider; SchemaTests fail while db/ is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for pair in SqlServer:sqlserver PostgreSql:postgresql; do
  provider=${pair%%:*}; folder=${pair##*:}
  mkdir -p "db/$folder"
  dotnet ef migrations script --idempotent --project src/HealthAssist.Storage \
    --context "${provider}HealthAssistDbContext" --output "db/$folder/healthassist.sql"
  echo "db/$folder/healthassist.sql"
done
