#!/bin/sh
# Optional: what the fleet benchmark needs beyond the test deps (scripts/install-deps.sh):
# Ansible from Debian's package, to compare against (without it that column says "not installed"),
# and ethtool, to show the offloads on the data plane's paths.
set -eu
need=""
command -v ansible-playbook >/dev/null 2>&1 || need="$need ansible-core"
command -v ethtool >/dev/null 2>&1 || [ -x /usr/sbin/ethtool ] || [ -x /sbin/ethtool ] || need="$need ethtool"
if [ -n "$need" ]; then
  echo "installing:$need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
