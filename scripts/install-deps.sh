#!/bin/sh
# Installs the Debian packages that the lab, the tests and the demo need, when they are missing.
# Usage: install-deps.sh [--xen]
set -eu
need=""
for pair in sshd:openssh-server ssh:openssh-client ip:iproute2 nft:nftables ping:iputils-ping \
            shellcheck:shellcheck iperf3:iperf3 ebtables:ebtables pkill:procps tmux:tmux \
            ssh-keygen:openssh-client nsenter:util-linux unshare:util-linux bridge:iproute2 \
            iptables-legacy:iptables wg:wireguard-tools wireguard-go:wireguard-go tcpdump:tcpdump; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || need="$need $pkg"
done
[ -x /usr/bin/time ] || need="$need time"
# The state backend's tests start a throwaway cluster of their own (test/support/pg-cluster.ts)
# with initdb and pg_ctl; Debian's package would also create and start a system cluster, which
# nothing uses: createcluster.conf, written before the install, tells it not to.
pg=no
for f in /usr/lib/postgresql/*/bin/initdb; do [ -x "$f" ] && pg=yes; done
if [ "$pg" = no ]; then
  need="$need postgresql"
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
  fi
fi
# --xen: also what the real-Xen lab needs on this machine (its Dom0 image has the rest).
if [ "${1:-}" = --xen ]; then
  for pair in qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils debootstrap:debootstrap mkfs.ext4:e2fsprogs flock:util-linux; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || need="$need $pkg"
  done
fi
if [ -n "$need" ]; then
  echo "installing:$need"
  export DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold $need >/dev/null
fi
