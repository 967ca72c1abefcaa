#!/bin/sh
# Optional: what the fleet benchmark needs beyond the test deps (scripts/install-deps.sh):
# Ansible from Debian's package, to compare against. Without it that column says "not installed".
set -eu
if ! command -v ansible-playbook >/dev/null 2>&1; then
  echo "installing: ansible-core"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ansible-core >/dev/null
fi
