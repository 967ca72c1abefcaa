#!/bin/sh
# Stage 1 of the real-Xen lab's Dom0 image (slow, about 5 minutes, cached by its digest):
# a Debian 12 root with Xen 4.17, its Dom0 kernel and the tools tvd and the lab use, from
# Debian's packages and the mirror this machine's apt is set up with.
# Usage: rootfs.sh DIR   (DIR must not exist; it is made complete or not at all)
set -eu
out=$1
[ ! -e "$out" ] || { echo "rootfs.sh: $out exists" >&2; exit 1; }
# The mirrors this machine's apt uses: deb822 sources first, then the one-line format.
mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
security=$(awk '/^URIs:/ && $2 ~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '/^deb / && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || { echo "rootfs.sh: no Debian mirror found in this machine's apt sources" >&2; exit 1; }
[ -n "$security" ] || security="${mirror%/debian}/debian-security"
tmp="$out.partial"
rm -rf "$tmp"
mkdir -p "$tmp"
cleanup() {
  for m in dev/pts dev sys proc; do umount "$tmp/$m" 2>/dev/null || true; done
}
trap cleanup EXIT
debootstrap --variant=minbase --include=systemd-sysv,udev,kmod,iproute2 bookworm "$tmp" "$mirror"
cat > "$tmp/etc/apt/sources.list" <<EOS
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOS
mount -t proc proc "$tmp/proc"
mount -t sysfs sys "$tmp/sys"
mount --bind /dev "$tmp/dev"
mount --bind /dev/pts "$tmp/dev/pts"
cp /etc/resolv.conf "$tmp/etc/resolv.conf"
# No service may start inside the chroot.
printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d"
chmod +x "$tmp/usr/sbin/policy-rc.d"
chroot "$tmp" apt-get update -qq
chroot "$tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  linux-image-amd64 xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils \
  openssh-server iproute2 bridge-utils nftables iptables iputils-ping wireguard-tools busybox-static \
  procps less cpio gzip zstd tcpdump ethtool kmod netbase ca-certificates initramfs-tools
rm -f "$tmp/usr/sbin/policy-rc.d" "$tmp/etc/resolv.conf"
chroot "$tmp" apt-get clean
rm -rf "$tmp/var/lib/apt/lists/"*
cleanup
trap - EXIT
mv "$tmp" "$out"
