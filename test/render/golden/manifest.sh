#!/bin/sh
# tvd manifest: what tvd recorded on this host (rendered by tvd)
LC_ALL=C
export LC_ALL
tvd_manifest() {
  echo '@@tvd manifest-begin'
  set --
  for tvd_d in /var/lib/tvd/res/*/; do
    if [ -f "${tvd_d}attrs.json" ] && [ -f "${tvd_d}address" ]; then set -- "$@" "${tvd_d}attrs.json"; fi
  done
  # shellcheck disable=SC2034 # the bundle's end reads it: nothing recorded, tvd's folders go
  tvd_records=$#
  if [ $# -gt 0 ]; then
    # From a here-document, not a pipe: a pipe would fork the loop as well.
    tvd_sums=$(sha256sum -- "$@")
    while read -r tvd_sum tvd_f; do
      tvd_a=""
      { read -r tvd_a || :; } <"${tvd_f%attrs.json}address"
      if [ -n "$tvd_a" ]; then printf '%s %s\n' "$tvd_a" "$tvd_sum"; fi
    done <<TVD_EOF
$tvd_sums
TVD_EOF
  fi
  echo '@@tvd manifest-end'
}
tvd_manifest
