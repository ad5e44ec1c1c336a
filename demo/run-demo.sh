#!/usr/bin/env bash
# The demo: a local etcd, two plain gRPC servers and a client, all under the agent and none with a line of
# etcd code. The client dials etcd:///demo-echo and spreads its calls over both servers; then one server
# stops and the client carries on with the other.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's Maven 3.8 ends even a -B -q run with colour resets (ESC[0m) on both streams; this stops them
export MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true"
scripts/install-tools.sh

echo "== building the agent and the demo apps"
mvn -B -q install -DskipTests
mvn -B -q -f it-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/demo.classpath
CP="$(cat it-tests/target/demo.classpath)"
AGENT=agent/target/grpc-etcd-agent.jar

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
client_port=$(free_port); peer_port=$(free_port)
ETCD=http://127.0.0.1:$client_port

echo "== starting etcd on $ETCD"
etcd --name demo --data-dir "$work/etcd" \
  --listen-client-urls "$ETCD" --advertise-client-urls "$ETCD" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "demo=http://127.0.0.1:$peer_port" >"$work/etcd.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do etcdctl --endpoints="$ETCD" endpoint health >/dev/null 2>&1 && break; sleep 0.1; done

AGENT_OPTS=(-javaagent:$AGENT -Dgrpc.etcd.endpoints=$ETCD)
start_server() {
  mkfifo "$work/$1.in"
  java "${AGENT_OPTS[@]}" -Dgrpc.etcd.service=demo-echo -cp "$CP" org.grpcetcd.it.apps.EchoServer "$1" \
    <"$work/$1.in" >"$work/$1.log" 2>&1 &
  pids+=($!)
  exec {fd}>"$work/$1.in"
  eval "${1//-/_}_stdin=$fd"
}

echo "== starting server-a and server-b (plain gRPC apps, -javaagent only)"
start_server server-a
start_server server-b
for _ in $(seq 600); do
  [ "$(etcdctl --endpoints="$ETCD" get --prefix demo-echo/ --keys-only | grep -c .)" -ge 2 ] && break; sleep 0.1
done
echo "-- etcd now holds:"
etcdctl --endpoints="$ETCD" get --prefix demo-echo/ | sed 's/^/   /'

echo "== starting a client on etcd:///demo-echo, one call every 100 ms"
mkfifo "$work/client.in"
java "${AGENT_OPTS[@]}" -cp "$CP" org.grpcetcd.it.apps.EchoClient etcd:///demo-echo 100 \
  <"$work/client.in" >"$work/client.log" 2>&1 &
client=$!
pids+=($client)
exec {client_stdin}>"$work/client.in"
for _ in $(seq 600); do grep -q '^REPLY' "$work/client.log" && break; sleep 0.1; done
sleep 3
echo "-- replies so far, by server:"
{ grep -E '^(REPLY|ERROR)' "$work/client.log" || true; } | sort | uniq -c | sed 's/^/   /'

echo "== stopping server-a gracefully (its key leaves etcd before it stops serving)"
echo stop >&"$server_a_stdin"
sleep 4
echo "-- etcd now holds:"
etcdctl --endpoints="$ETCD" get --prefix demo-echo/ | sed 's/^/   /'
lines_before=$(grep -c -E '^(REPLY|ERROR)' "$work/client.log" || true)
sleep 2
echo "-- the client's last 2 s, by server:"
last_replies=$({ grep -E '^(REPLY|ERROR)' "$work/client.log" || true; } | tail -n +"$((lines_before + 1))")
echo "$last_replies" | sort | uniq -c | sed 's/^/   /'
errors=$(grep -c '^ERROR' "$work/client.log" || true)
echo "-- errors seen by the client in the whole run: $errors"
echo stop >&"$client_stdin"
echo stop >&"$server_b_stdin"
wait "$client" 2>/dev/null || true
echo "== done; agent log lines of server-a:"
{ grep grpc-etcd-agent "$work/server-a.log" || true; } | sed 's/^/   /'

# what the demo shows, checked, so that CI can run it too
problems=()
grep -q '^REPLY server-a$' "$work/client.log" || problems+=("server-a never answered")
grep -q '^REPLY server-b$' "$work/client.log" || problems+=("server-b never answered")
[ "$errors" = 0 ] || problems+=("the client saw $errors error(s)")
echo "$last_replies" | grep -q '^REPLY server-b$' || problems+=("server-b did not answer after server-a stopped")
! echo "$last_replies" | grep -q '^REPLY server-a$' || problems+=("server-a still answered after it stopped")
if [ "${#problems[@]}" -gt 0 ]; then
  printf '== demo FAILED: %s\n' "${problems[@]}"
  exit 1
fi
echo "== demo OK: calls spread over both servers, then went to server-b alone, with no error"
