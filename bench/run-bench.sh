#!/usr/bin/env bash
# The benchmark of grpc-etcd-agent (issue 6): builds the agent and the bench apps, starts its own etcd on free
# loopback ports, runs every measurement without and with the agent, and prints a markdown table.
#
#   bench/run-bench.sh [--quick] [--out FILE] [--only SECTIONS]
#
# --quick: 3 runs per variant (otherwise 5; 21 for start-up and first call, 11 for Spring start-up, 7 for per-call
#          cost) and 200 propagation changes instead of 1,000: a few minutes on a quiet 2-core machine (full: ~15).
# --only "start-up,first call": only these sections (start-up, spring start-up, registered, first call,
#          per-call cost, propagation, scale, footprint), for working on the bench.
# Child JVM logs go to bench/target/bench-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=()
out=""
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick); shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --only) only=(--only "$2"); shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (expected --quick, --out FILE, --only SECTIONS)" >&2; exit 2 ;;
  esac
done
if [ -n "$out" ]; then
  case "$out" in /*) ;; *) out="$root/$out" ;; esac
fi

for tool in java jar mvn etcd etcdctl ss python3 unzip; do
  command -v "$tool" >/dev/null || { echo "run-bench: $tool is needed on PATH" >&2; exit 2; }
done

# -- build: the agent jar (install, so the bench module resolves it), then the bench apps and their class path.
# Someone may be changing the agent while this runs: a broken build is retried after a minute, twice.
build() {
  mvn -B -q install -DskipTests &&
    mvn -B -q -f bench/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
}
echo "[run-bench] building the agent and the bench apps" >&2
for attempt in 1 2 3; do
  if build >&2; then break; fi
  if [ "$attempt" = 3 ]; then echo "run-bench: the build failed 3 times" >&2; exit 1; fi
  echo "[run-bench] build failed (attempt $attempt); retrying in 60 s" >&2
  sleep 60
done
# every run uses one private copy of the jar: a rebuild of agent/ while the bench runs cannot change or break it
built_jar="$root/agent/target/grpc-etcd-agent.jar"
agent_jar="$root/bench/target/agent-under-test/grpc-etcd-agent.jar"
mkdir -p "$(dirname "$agent_jar")"
for attempt in 1 2 3; do
  if [ -f "$built_jar" ] && cp "$built_jar" "$agent_jar.tmp" &&
     unzip -p "$agent_jar.tmp" META-INF/MANIFEST.MF 2>/dev/null | grep -q '^Premain-Class:'; then
    mv "$agent_jar.tmp" "$agent_jar"
    break
  fi
  if [ "$attempt" = 3 ]; then echo "run-bench: no usable $built_jar (no Premain-Class)" >&2; exit 1; fi
  echo "[run-bench] $built_jar is being rewritten; trying again in 20 s" >&2
  sleep 20
done
classpath="$root/bench/target/classes:$(cat bench/target/bench.classpath)"
# a -javaagent that does nothing, to tell the JVM's cost of any agent from this agent's own
empty_agent="$root/bench/target/empty-agent.jar"
rm -rf "$root/bench/target/empty-agent-classes"
javac --release 11 -d "$root/bench/target/empty-agent-classes" \
  "$root/bench/src/empty-agent/org/grpcetcd/emptyagent/EmptyAgent.java"
printf 'Premain-Class: org.grpcetcd.emptyagent.EmptyAgent\n' >"$root/bench/target/empty-agent.mf"
jar --create --file "$empty_agent" --manifest "$root/bench/target/empty-agent.mf" \
  -C "$root/bench/target/empty-agent-classes" org/grpcetcd/emptyagent/EmptyAgent.class

# -- etcd: one member on free loopback ports, a temp data dir; stopped and removed at exit
work=$(mktemp -d "${TMPDIR:-/tmp}/grpc-etcd-bench.XXXXXX")
etcd_pid=""
cleanup() {
  if [ -n "$etcd_pid" ]; then
    kill "$etcd_pid" 2>/dev/null || true
    wait "$etcd_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
client_port=$(free_port)
peer_port=$(free_port)
while [ "$peer_port" = "$client_port" ]; do peer_port=$(free_port); done
endpoint="http://127.0.0.1:$client_port"
echo "[run-bench] starting etcd on $endpoint (data in $work)" >&2
etcd --name bench --data-dir "$work/etcd" \
  --listen-client-urls "$endpoint" --advertise-client-urls "$endpoint" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "bench=http://127.0.0.1:$peer_port" >"$work/etcd.log" 2>&1 &
etcd_pid=$!
healthy=""
for _ in $(seq 100); do
  if etcdctl --endpoints="$endpoint" endpoint health >/dev/null 2>&1; then healthy=yes; break; fi
  kill -0 "$etcd_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$healthy" ]; then
  echo "run-bench: etcd did not become healthy; its log:" >&2
  tail -20 "$work/etcd.log" >&2
  exit 1
fi

etcd_version=$(etcd --version | sed -n 's/^etcd Version: //p')
commit=$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)
logs="$root/bench/target/bench-logs"
rm -rf "$logs"
mkdir -p "$logs"

args=(--agent "$agent_jar" --empty-agent "$empty_agent" --etcd "$endpoint" --classpath "$classpath" --logs "$logs"
      --spring-jar "$root/bench-spring/target/echo-spring.jar"
      --etcd-version "$etcd_version" --commit "$commit" "${quick[@]}" "${only[@]}")
if [ -n "$out" ]; then args+=(--out "$out"); fi
java -cp "$classpath" org.grpcetcd.bench.Bench "${args[@]}"
