#!/usr/bin/env bash
# The whole test suite: unit tests, then real apps under the agent against real etcd servers, then the demo,
# which checks what it shows and fails if it does not happen (README promises both commands work).
# The integration tests' etcd runs in containers: where no Docker engine answers, one is started for this run.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's Maven 3.8 ends even a -B -q run with colour resets (ESC[0m) on both streams; this stops them
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true"
scripts/install-tools.sh --go
. scripts/docker-engine.sh
mvn -B verify "$@"
demo/run-demo.sh
