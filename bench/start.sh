#!/usr/bin/env bash
# Starts Scheduler (Release) in the foreground the way the shared benchmark's driver (see bench/compare.sh) starts its peers:
# PORT, HOST, DB_PATH, ADMIN_EMAIL, ADMIN_PASSWORD from the environment; exec, so the PID is dotnet's.
# Env: DURABILITY (Full | Normal, Storage__Durability), LOG_LEVEL (Warning).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DLL="$ROOT/src/Scheduler.Silo/bin/Release/net10.0/Scheduler.Silo.dll"
if [ ! -f "$DLL" ] || [ -n "$(find "$ROOT/src" \( -name '*.cs' -o -name '*.csproj' -o -name '*.sql' \) -newer "$DLL" | head -1)" ]; then
  dotnet build "$ROOT/src/Scheduler.Silo" -c Release --nologo -v q >&2
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DB_PATH="${DB_PATH:-$(mktemp -d)/scheduler.db}"; mkdir -p "$(dirname "$DB_PATH")"
export ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
  Logging__LogLevel__Default="${LOG_LEVEL:-Warning}" \
  Jwt__Secret="${JWT_SECRET:-bench-signing-key-$(date +%s%N)-0123456789abcdef}" \
  Seed__AdminEmail="${ADMIN_EMAIL:-admin@example.com}" Seed__AdminPassword="${ADMIN_PASSWORD:-a-long-admin-passphrase}" \
  ConnectionStrings__Scheduler="Data Source=$DB_PATH" \
  Orleans__SiloPort="$(free_port)" Orleans__GatewayPort="$(free_port)" \
  RateLimiting__Enabled=false Dashboard__Enabled=false Storage__Durability="${DURABILITY:-Full}"
exec dotnet "$DLL" --urls "http://${HOST:-127.0.0.1}:${PORT:-5000}"
