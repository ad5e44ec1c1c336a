#!/usr/bin/env bash
# The whole test suite: unit tests, then real apps under the agent against real etcd servers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh --go
mvn -B verify "$@"
