// Running a command in a real-Xen lab guest: through the guest's Xen console, never a TVD
// network. The guest's /init (lab/xen/image/guest-init) runs an agent on hvc0; this is the
// Dom0's side, a bash script sent over SSH with the job on stdin. It finds the domain's console
// pty in xenstore, takes a lock per domain, waits until the agent answers a no-op, then sends
// `@@run TAG BASE64(job)` and prints what comes back until `@@end TAG CODE`, exiting with CODE.
// Exit 124: no answer before the deadline; 125: no such domain or console.
import { shCommand } from '../../src/shell/quote.js';

// A template literal: \${ and \\ below reach bash as ${ and \.
const SCRIPT = `set -u
name=$1 end=$((SECONDS + $2))
id=$(xl domid "$name" 2>/dev/null) || { echo "no domain $name" >&2; exit 125; }
mkdir -p /run/tvd-lab
exec 9>"/run/tvd-lab/console.$id.lock"
flock -w "$2" 9 || exit 124
# Just after xl create, xenconsoled may not have made (or unlocked) the console's pty yet.
while ! { tty=$(xenstore-read "/local/domain/$id/console/tty") && : <>"$tty"; } 2>/dev/null; do
  [ "$SECONDS" -lt "$end" ] || { echo "domain $name has no console" >&2; exit 125; }
  sleep 1
done
stty -F "$tty" raw -echo 2>/dev/null
exec 3<>"$tty"
# What the console holds from before (a guest's boot log): bash reads a tty a byte at a time,
# which under emulation takes minutes for a boot log, so cat drops it in blocks first.
timeout 1 cat <&3 >/dev/null
partial=
# Reads one line from the console into $line; 1 when the deadline passed.
next() {
  while [ "$SECONDS" -lt "$end" ]; do
    chunk=
    if IFS= read -r -t 2 chunk <&3; then line="$partial$chunk"; partial=; line=\${line%$'\\r'}; return 0; fi
    partial="$partial$chunk"
  done
  return 1
}
ask() { printf '@@run %s %s\\n' "$1" "$2" >&3; }
tag=p$$$RANDOM
# dHJ1ZQ== is base64 of "true".
ask "$tag" dHJ1ZQ==
waited=$SECONDS
while :; do
  next || exit 124
  case $line in "@@end $tag "*) break ;; esac
  # An agent still booting missed the question: ask again every few seconds.
  if [ $((SECONDS - waited)) -ge 3 ]; then ask "$tag" dHJ1ZQ==; waited=$SECONDS; fi
done
tag=j$$$RANDOM
ask "$tag" "$(base64 -w0)"
while next; do
  case $line in
  "@@out $tag "*) printf '%s' "\${line#"@@out $tag "}" | base64 -d ;;
  "@@end $tag "*) exit "\${line#"@@end $tag "}" ;;
  esac
done
exit 124
`;

/** The remote command (one string for SSH) that runs stdin as a job in guest `vm`. */
export function guestCommand(vm: string, timeoutSeconds: number): string {
  return shCommand(['bash', '-c', SCRIPT, 'tvd-lab-guest', vm, String(timeoutSeconds)]);
}
