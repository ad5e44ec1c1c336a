#!/usr/bin/env bash
# The whole test suite: unit tests, then real apps under the agent against real etcd servers, then the demo,
# which checks what it shows and fails if it does not happen (README promises both commands work).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh --go
mvn -B verify "$@"
demo/run-demo.sh
