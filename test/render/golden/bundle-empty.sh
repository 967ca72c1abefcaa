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

# tvd_finish: the manifest, then tidy tvd's folders away if nothing is recorded any more.
tvd_finish() {
  tvd_manifest
  rmdir /var/lib/tvd/res 2>/dev/null
  rmdir /var/lib/tvd 2>/dev/null
  if [ "$tvd_all_ok" = 1 ]; then exit 0; fi
  exit 1
}

# tvd host lock, exclusive (src/apply/render/host-lock.ts)
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
{ [ -d /run/tvd ] || mkdir -p /run/tvd; } 2>/dev/null
if ! { command exec 9>>/run/tvd/lock; } 2>/dev/null; then
  echo 'tvd: cannot open the host lock /run/tvd/lock' >&2
  exit 1
fi
flock -E 75 -x -w 30 9
tvd_rc=$?
if [ "$tvd_rc" -eq 75 ]; then tvd_busy; fi
if [ "$tvd_rc" -ne 0 ]; then
  echo "tvd: cannot take the host lock /run/tvd/lock (flock exited $tvd_rc)" >&2
  exit 1
fi
printf '%s %s\n' "$$" 'a tvd bundle' >/run/tvd/lock.holder

tvd_finish
