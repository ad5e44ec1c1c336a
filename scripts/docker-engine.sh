# Sourced by run-tests.sh: makes sure a Docker engine answers for the integration tests' etcd containers.
# An engine that already answers (DOCKER_HOST or the default socket) is used as it is and never touched.
# Otherwise docker.io is installed where missing (Debian, root or sudo) and a dockerd is started for this run
# only: host networking only (no bridge, no firewall rules), its data root under target/, its socket and state
# in a private directory, stopped when the script exits. DOCKER_HOST then points the tests at it.

docker_engine_answers() {
  command -v docker >/dev/null 2>&1 && docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

stop_run_engine() {
  if [ -n "${RUN_DOCKERD_PID:-}" ] && kill -0 "$RUN_DOCKERD_PID" 2>/dev/null; then
    $RUN_DOCKER_SUDO kill "$RUN_DOCKERD_PID"
    for _ in $(seq 1 100); do
      kill -0 "$RUN_DOCKERD_PID" 2>/dev/null || break
      sleep 0.1
    done
  fi
  if [ -n "${RUN_DOCKER_STATE:-}" ]; then
    # dockerd leaves its host network namespace mounted in its exec root
    $RUN_DOCKER_SUDO umount "$RUN_DOCKER_STATE"/exec/netns/* 2>/dev/null || true
    $RUN_DOCKER_SUDO rm -rf "$RUN_DOCKER_STATE" || true
  fi
  return 0
}

start_run_engine() {
  RUN_DOCKER_SUDO=""
  [ "$(id -u)" -eq 0 ] || RUN_DOCKER_SUDO="sudo"
  command -v dockerd >/dev/null 2>&1 || scripts/install-tools.sh --docker
  local data_root log
  data_root="$(pwd)/target/docker-data"
  log="$(pwd)/target/dockerd.log"
  mkdir -p "$data_root"
  # the socket path must stay short (108 bytes), so the socket and the engine's run state live under /tmp
  RUN_DOCKER_STATE="$(mktemp -d /tmp/it-docker.XXXXXX)"
  trap stop_run_engine EXIT
  $RUN_DOCKER_SUDO dockerd --iptables=false --ip6tables=false --bridge=none \
    --storage-driver=overlay2 --exec-opt native.cgroupdriver=cgroupfs \
    --data-root "$data_root" --exec-root "$RUN_DOCKER_STATE/exec" --pidfile "$RUN_DOCKER_STATE/dockerd.pid" \
    --host "unix://$RUN_DOCKER_STATE/docker.sock" >"$log" 2>&1 &
  RUN_DOCKERD_PID=$!
  export DOCKER_HOST="unix://$RUN_DOCKER_STATE/docker.sock"
  for _ in $(seq 1 100); do
    docker_engine_answers && break
    kill -0 "$RUN_DOCKERD_PID" 2>/dev/null || break
    sleep 0.2
  done
  if ! docker_engine_answers; then
    echo "dockerd did not start; its log $log ends with:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  [ -z "$RUN_DOCKER_SUDO" ] || $RUN_DOCKER_SUDO chmod 666 "$RUN_DOCKER_STATE/docker.sock"
  echo "started dockerd $(docker version --format '{{.Server.Version}}') for this run (pid $RUN_DOCKERD_PID, log $log)"
}

docker_engine_answers || start_run_engine
