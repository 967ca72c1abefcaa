#!/bin/sh
# tvd host bundle for host-a: 0 step(s) (rendered by tvd; do not edit)
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
umask 022
tvd_all_ok=1

tvd_manifest() {
  echo '@@tvd manifest-begin'
  for tvd_d in /var/lib/tvd/res/*/; do
    if [ -f "${tvd_d}attrs.json" ] && [ -f "${tvd_d}address" ]; then
      tvd_sum=$(sha256sum <"${tvd_d}attrs.json")
      printf '%s %s\n' "$(cat "${tvd_d}address")" "${tvd_sum%% *}"
    fi
  done
  echo '@@tvd manifest-end'
}

# tvd_finish: the manifest, then tidy tvd's folders away if nothing is recorded any more.
tvd_finish() {
  tvd_manifest
  rmdir /var/lib/tvd/res 2>/dev/null
  rmdir /var/lib/tvd 2>/dev/null
  if [ "$tvd_all_ok" = 1 ]; then exit 0; fi
  exit 1
}

tvd_finish
