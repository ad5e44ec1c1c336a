#!/usr/bin/env bash
# The whole test suite: unit tests, then real apps under the agent against real etcd servers, then the demo,
# which checks what it shows and fails if it does not happen (README promises both commands work).
# The integration tests' etcd runs in containers: where no Docker engine answers, one is started for this run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh --go
. scripts/docker-engine.sh
mvn -B verify "$@"
demo/run-demo.sh
