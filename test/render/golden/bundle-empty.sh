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
# that was there before) and so do the probe's per-boot cache and the host lock, this bundle's
# last step under it (a run waiting for it takes it anew, host-lock.ts): destroy leaves nothing of tvd.
tvd_finish() {
  tvd_manifest
  if [ "$tvd_records" = 0 ]; then
    tvd_rmdir /var/lib/tvd/res
    tvd_rmdir /var/lib/tvd
    rm -f /run/tvd/probe.cache /run/tvd/lock.holder /run/tvd/lock
    tvd_rmdir /run/tvd  # also the host lock's folder
  fi
  if [ "$tvd_all_ok" = 1 ]; then exit 0; fi
  exit 1
}

# tvd host lock, exclusive (src/host/host-lock.ts)
tvd_busy() {
  tvd_hpid=''
  tvd_htext=''
  if [ -r /run/tvd/lock.holder ]; then read -r tvd_hpid tvd_htext </run/tvd/lock.holder; fi
  if [ -n "$tvd_hpid" ] && [ -d "/proc/$tvd_hpid" ]; then
    echo "@@tvd busy $tvd_htext, whose script is pid $tvd_hpid on this host"
  else
    echo '@@tvd busy a tvd run that is reading this host (a refresh or verify)'
  fi
  exit 75
}
# tvd_mkdir DIR: make DIR and its missing parents, each marked as tvd's (.tvd-made).
tvd_mkdir() {
  if [ -z "$1" ] || [ -d "$1" ]; then return 0; fi
  tvd_mkdir "${1%/*}" || return 1
  mkdir "$1" && printf 'tvd made this folder, and removes it once it holds nothing else\n' >"$1/.tvd-made"
}
tvd_lk=''
for _ in 1 2 3; do
  tvd_mkdir /run/tvd 2>/dev/null
  if ! { command exec 9>>/run/tvd/lock; } 2>/dev/null; then continue; fi
  flock -E 75 -x -w 30 9
  tvd_lk=$?
  # -ef (same file) is POSIX since 2024 and in every sh of Debian's (dash, bash, busybox).
  # shellcheck disable=SC3013
  if [ "$tvd_lk" -ne 0 ] || [ ! -e /dev/fd/9 ] || [ /dev/fd/9 -ef /run/tvd/lock ]; then break; fi
  tvd_lk=''
done
if [ -z "$tvd_lk" ]; then
  echo 'tvd: cannot open the host lock /run/tvd/lock' >&2
  exit 1
fi
if [ "$tvd_lk" -eq 75 ]; then tvd_busy; fi
if [ "$tvd_lk" -ne 0 ]; then
  echo "tvd: cannot take the host lock /run/tvd/lock (flock exited $tvd_lk)" >&2
  exit 1
fi
printf '%s %s\n' "$$" 'a tvd bundle' >/run/tvd/lock.holder

tvd_finish
