#!/usr/bin/env bash
# Mutation testing (Stryker.NET, pinned in .config/dotnet-tools.json) of the files that hold the rules that matter:
#   grains: calendar and booking rules (CalendarRules), idempotency (BookingFingerprint), refresh-token families and
#           sessions (RefreshTokenFamilies), lockout (SignInLockout), against the unit tests that cover them;
#   api:    token validation setup (AuthenticationSetup), session stamps and the remembered-token handler, object
#           access rules (Access), against the Auth and Security tests of Scheduler.Api.Tests.
# Which files and tests: tests/stryker/{grains,api}.json. Reports (html, json) go to artifacts/mutation/<part>/.
# Usage: tests/mutation.sh [grains|api ...]   (default: both; CONCURRENCY=1 unless set; docs/testing.md says more)
# It builds and runs the tests many times: on a shared machine run it alone, not beside another build.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(grains api)

dotnet tool restore >/dev/null
for part in "${parts[@]}"; do
  case "$part" in
    grains) tests=tests/Scheduler.Grains.Tests ;;
    api) tests=tests/Scheduler.Api.Tests ;;
    *) echo "unknown part '$part' (grains or api)" >&2; exit 2 ;;
  esac
  echo "== mutation testing: $part"
  (cd "$tests" && dotnet dotnet-stryker --config-file "$root/tests/stryker/$part.json" \
    --concurrency "${CONCURRENCY:-1}" --output "$root/artifacts/mutation/$part" --skip-version-check)
done
