#!/bin/sh
# tvd manifest: what tvd recorded on this host (rendered by tvd)
LC_ALL=C
export LC_ALL
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
tvd_manifest
