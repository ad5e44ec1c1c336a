#!/usr/bin/env bash
# Installs, from Debian's packages, what the demo and the tests need and this machine lacks:
#   a JDK 17 and Maven, when there is no java or mvn on the PATH
#   etcd (server and etcdctl)                      always
#   Go 1.19 with etcd's and grpc-go's sources      with --go: the Go peers of the interop tests build offline
#   docker.io (dockerd, containerd, docker)        with --docker: the engine of the tests' etcd containers
set -euo pipefail
packages=()
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)
if ! command -v etcd >/dev/null 2>&1 || ! command -v etcdctl >/dev/null 2>&1; then
  packages+=(etcd-server etcd-client)
fi
if [ "${1:-}" = "--go" ]; then
  command -v go >/dev/null 2>&1 || packages+=(golang-go)
  [ -d /usr/share/gocode/src/go.etcd.io/etcd/clientv3 ] || packages+=(golang-etcd-server-dev)
  [ -d /usr/share/gocode/src/google.golang.org/grpc ] || packages+=(golang-google-grpc-dev)
fi
if [ "${1:-}" = "--docker" ]; then
  command -v dockerd >/dev/null 2>&1 || packages+=(docker.io)
fi
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
[ "${#packages[@]}" -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing ${packages[*]} and this is no Debian/Ubuntu machine: install them yourself" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
command -v etcd >/dev/null 2>&1 || { echo "etcd could not be installed" >&2; exit 1; }
[ "${1:-}" != "--docker" ] || command -v dockerd >/dev/null 2>&1 || { echo "docker.io could not be installed" >&2; exit 1; }
