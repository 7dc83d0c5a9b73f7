#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests drive: nftables and iproute2 for redirect
# mode in a network namespace, util-linux for taskset in benchmarks, and the real protocol
# clients the emulations are tested with. Idempotent and quiet when everything is present;
# without root it only says which tests will skip and why.
set -euo pipefail

# command:package pairs
NEEDS=(
  nft:nftables
  ip:iproute2
  taskset:util-linux
  cc:gcc
  redis-cli:redis-tools
  ssh:openssh-client
  sshpass:sshpass
  hydra:hydra
  adb:adb
  curl:curl
  tsql:freetds-bin
  smbclient:smbclient
  xfreerdp:freerdp2-x11
  xvfb-run:xvfb
  nmap:nmap
  mysql:default-mysql-client
  snmpget:snmp
  svmap:sipvicious
)

missing=()
for pair in "${NEEDS[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: missing Debian packages ${missing[*]}; tests that need them will be skipped" \
    "(run as root, or: sudo apt-get install -y ${missing[*]})" >&2
  exit 0
fi
echo "test-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
