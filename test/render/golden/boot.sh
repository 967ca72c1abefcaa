#!/bin/sh
# tvd-boot: brings this Dom0's TVD networks back after a reboot.
# Installed by tvd; do not edit. Runs every committed record's up, in name order (= apply order);
# a record is committed once its attrs.json exists. Goes on past a failure, then exits 1.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
rc=0
for d in /var/lib/tvd/res/*/; do
  [ -f "${d}attrs.json" ] || continue
  if ! sh "${d}up" </dev/null; then
    echo "tvd-boot: ${d}up failed" >&2
    rc=1
  fi
done
exit "$rc"
