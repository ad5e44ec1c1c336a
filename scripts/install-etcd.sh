#!/usr/bin/env bash
# Installs etcd (server and etcdctl) from Debian's packages when it is not on the PATH yet.
set -euo pipefail
if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "etcd is not installed and this is no Debian/Ubuntu machine: install etcd 3.4+ (etcd and etcdctl) yourself" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq etcd-server etcd-client >/dev/null
command -v etcd >/dev/null 2>&1 || { echo "etcd could not be installed" >&2; exit 1; }
