#!/bin/sh
# tvd host bundle for host-a: 0 step(s) (rendered by tvd; do not edit)
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
umask 022
tvd_all_ok=1

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

# tvd_rmdir DIR: remove DIR, then its parents, while each is tvd's (.tvd-made) and holds nothing else.
tvd_rmdir() {
  while [ -f "$1/.tvd-made" ]; do
    for tvd_e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
      if [ "$tvd_e" != "$1/.tvd-made" ] && { [ -e "$tvd_e" ] || [ -L "$tvd_e" ]; }; then return 0; fi
    done
    rm -f "$1/.tvd-made"
    if ! rmdir "$1" 2>/dev/null; then
      printf 'tvd made this folder, and removes it once it holds nothing else\n' >"$1/.tvd-made"
      return 0
    fi
    set -- "${1%/*}"
  done
}

# tvd_finish: the manifest; when nothing is recorded any more, the folders tvd made go (not one
# that was there before) and so does the probe's per-boot cache: destroy leaves nothing of tvd.
tvd_finish() {
  tvd_manifest
  if [ "$tvd_records" = 0 ]; then
    tvd_rmdir /var/lib/tvd/res
    tvd_rmdir /var/lib/tvd
    rm -f /run/tvd/probe.cache
    tvd_rmdir /run/tvd
  fi
  if [ "$tvd_all_ok" = 1 ]; then exit 0; fi
  exit 1
}

tvd_finish
