// Folders tvd makes on a host carry a mark (a file .tvd-made inside), and a `down` removes a
// folder only when it holds that mark and nothing else. A folder that was there before tvd
// (a host's /etc/xen/tvd, /var/lib/tvd, a .wants folder) has no mark and is never removed, one
// tvd made goes with the last thing tvd put in it. The mark lives in the folder itself, so it
// goes wherever the folder goes: a folder someone removes and makes again is theirs. Dot files
// are skipped by xendomains' `auto/*` and by systemd's reading of .wants folders.

import { sh, shBare } from '../shell/quote.js';

export const OWN_MARK = shBare('.tvd-made');

// Put inside printf's single-quoted format: no quote, no %.
const MARK_TEXT = sh`tvd made this folder, and removes it once it holds nothing else\\n`;

/**
 * tvd_mkdir DIR: DIR (absolute) and each missing parent made, each one marked. The shell's own
 * test when DIR is there, as it nearly always is: a process only for what is made.
 */
export const TVD_MKDIR = sh`# tvd_mkdir DIR: make DIR and its missing parents, each marked as tvd's (${OWN_MARK}).
tvd_mkdir() {
  if [ -z "$1" ] || [ -d "$1" ]; then return 0; fi
  tvd_mkdir "\${1%/*}" || return 1
  mkdir "$1" && printf '${MARK_TEXT}' >"$1/${OWN_MARK}"
}`;

/**
 * tvd_rmdir DIR: DIR removed, then each parent, for as long as the folder is marked and holds
 * nothing else (globs, the shell's own, tell; two processes only for a folder that goes). If
 * something arrives between the look and the rmdir, the folder stays and keeps its mark.
 */
export const TVD_RMDIR = sh`# tvd_rmdir DIR: remove DIR, then its parents, while each is tvd's (${OWN_MARK}) and holds nothing else.
tvd_rmdir() {
  while [ -f "$1/${OWN_MARK}" ]; do
    for tvd_e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
      if [ "$tvd_e" != "$1/${OWN_MARK}" ] && { [ -e "$tvd_e" ] || [ -L "$tvd_e" ]; }; then return 0; fi
    done
    rm -f "$1/${OWN_MARK}"
    if ! rmdir "$1" 2>/dev/null; then
      printf '${MARK_TEXT}' >"$1/${OWN_MARK}"
      return 0
    fi
    set -- "\${1%/*}"
  done
}`;
