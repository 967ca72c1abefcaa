#!/bin/sh
# Stage 2 of the real-Xen lab's Dom0 image (about a minute, cached by its digest): the lab's own
# files on a copy of stage 1's root, the lab's PV guest (the Dom0's kernel and a busybox
# initramfs), then a raw ext4 image and the files QEMU boots (Xen, the Dom0 kernel, its initrd).
# Usage: customise.sh ROOTFS DIR   (DIR must not exist; it is made complete or not at all)
set -eu
rootfs=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
[ ! -e "$out" ] || { echo "customise.sh: $out exists" >&2; exit 1; }
tmp="$out.partial"
rm -rf "$tmp"
mkdir -p "$tmp/boot"
r="$tmp/root"
cleanup() {
  for m in dev sys proc; do umount "$r/$m" 2>/dev/null || true; done
}
trap cleanup EXIT
cp -a "$rootfs" "$r"

echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' > "$r/etc/fstab"
echo xenhost > "$r/etc/hostname"
# Every host boots its own copy of this one image: an empty machine-id makes systemd draw a new one
# at each host's first boot. A shared one gives every host's bridges the same MAC (udev derives it).
: > "$r/etc/machine-id"
rm -f "$r/var/lib/dbus/machine-id"
printf '127.0.0.1\tlocalhost\n' > "$r/etc/hosts"
# Each host's key comes from its seed disk: none is shared through the image.
rm -f "$r"/etc/ssh/ssh_host_*
install -m 0644 "$here/files/sshd-tvdlab.conf" "$r/etc/ssh/sshd_config.d/tvdlab.conf"
install -m 0755 "$here/files/tvdlab-seed" "$r/usr/local/sbin/tvdlab-seed"
install -m 0644 "$here/files/tvdlab-seed.service" "$r/etc/systemd/system/tvdlab-seed.service"
install -m 0644 "$here/files/mgmt.network" "$r/etc/systemd/network/10-mgmt.network"
install -m 0644 "$here/files/xendomains" "$r/etc/default/xendomains"
mkdir -p "$r/root/.ssh"
chmod 0700 "$r/root/.ssh"

mount -t proc proc "$r/proc"
mount -t sysfs sys "$r/sys"
mount --bind /dev "$r/dev"
chroot "$r" systemctl enable -q systemd-networkd ssh tvdlab-seed.service
# What would only slow a boot under emulation or touch the network.
chroot "$r" systemctl mask -q systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer man-db.timer systemd-timesyncd.service 2>/dev/null || true
# A small Dom0 initrd: only what boots from virtio (37 MB -> 8 MB, seconds saved per boot).
echo 'MODULES=list' > "$r/etc/initramfs-tools/conf.d/tvdlab"
printf '%s\n' virtio_pci virtio_blk virtio_net ext4 crc32c_generic > "$r/etc/initramfs-tools/modules"
chroot "$r" update-initramfs -u -k all >/dev/null
cleanup
trap - EXIT

kver=$(ls "$r/lib/modules" | head -n 1)
# The guest: the Dom0's own kernel, and busybox with xen-netfront in a gzipped cpio.
# Packed with the root's own cpio: this machine may have none.
g="$r/tmp/guest"
mkdir -p "$g/bin" "$g/lib/modules" "$r/srv/tvd-lab/guest"
cp "$r/bin/busybox" "$g/bin/busybox"
nf=$(find "$r/lib/modules/$kver" -name 'xen-netfront.ko*' | head -n 1)
case $nf in
*.xz) xz -dc "$nf" > "$g/lib/modules/xen-netfront.ko" ;;
*.zst) zstd -qdc "$nf" > "$g/lib/modules/xen-netfront.ko" ;;
*) cp "$nf" "$g/lib/modules/xen-netfront.ko" ;;
esac
install -m 0755 "$here/guest-init" "$g/init"
chroot "$r" sh -c 'cd /tmp/guest && find . | cpio -o -H newc --quiet' > "$tmp/guest.cpio"
gzip -9 < "$tmp/guest.cpio" > "$r/srv/tvd-lab/guest/initrd.gz"
rm -f "$tmp/guest.cpio"
cp "$r/boot/vmlinuz-$kver" "$r/srv/tvd-lab/guest/vmlinuz"
rm -rf "$g"

xen=$(ls "$r"/boot/xen-4.17*.gz | head -n 1)
gzip -dc "$xen" > "$tmp/boot/xen"
cp "$r/boot/vmlinuz-$kver" "$tmp/boot/vmlinuz"
cp "$r/boot/initrd.img-$kver" "$tmp/boot/initrd.img"
mkfs.ext4 -q -L dom0 -d "$r" "$tmp/dom0.img" 3G
rm -rf "$r"
mv "$tmp" "$out"
