// What brings a Dom0's TVD networks back after a reboot: boot.sh replays every committed
// record's `up` (they are idempotent) in folder-name order, which is tvd's apply order
// because each folder starts with its type's rank; a systemd oneshot unit runs it once Xen's
// daemons and the network are up, and before xendomains starts guests.
import { BOOT_SCRIPT_PATH, RECORDS_DIR } from '../../host/paths.js';
import { sh } from './quote.js';

export const BOOT_SCRIPT = sh`#!/bin/sh
# tvd-boot: brings this Dom0's TVD networks back after a reboot.
# Installed by tvd; do not edit. Runs every committed record's up, in name order (= apply order);
# a record is committed once its attrs.json exists. Goes on past a failure, then exits 1.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
rc=0
for d in ${RECORDS_DIR}/*/; do
  [ -f "\${d}attrs.json" ] || continue
  if ! sh "\${d}up" </dev/null; then
    echo "tvd-boot: \${d}up failed" >&2
    rc=1
  fi
done
exit "$rc"
`;

export const BOOT_UNIT = `# Installed by tvd; do not edit.
[Unit]
Description=tvd: bring back the TVD networks (bridges, tunnels, firewalls, guests)
Wants=network-online.target
After=network-online.target proc-xen.mount xenstored.service xenconsoled.service xen-init-dom0.service
Before=xendomains.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${BOOT_SCRIPT_PATH}

[Install]
WantedBy=multi-user.target
`;
