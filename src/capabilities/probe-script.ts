// The capability probe: one POSIX sh script, sent on stdin to `sh -s` in a single SSH round trip.
// It prints one record per line, `<kind> <values…>`, parsed by parse-probe.ts:
//
//   probe 1                     format version (first line)
//   uid <n>                     who ran it (link tests need root)
//   mech <name> <0|1>           bridge, vlan, vxlan: create and delete a throwaway link
//                               (names tvdp<pid><x>), which also loads the kernel module on demand;
//                               gretap: the same where ip_gre is loaded, else the module is installed;
//                               etherip: the module is loaded or installed; nftables: `nft list tables` works
//                               (cached per boot: see PER_BOOT; for nftables only a yes)
//   brnf <iptables|ip6tables|arptables> <0|1>
//                               net.bridge.bridge-nf-call-*, where br_netfilter is loaded
//   fwddrop <ip|ip6|inet> <source> <table> <chain>
//                               a forward-hook chain with policy drop (source: nft, or the
//                               iptables variant that read it); only when a brnf is 1
//   fwdaccept <family> <source> <table>
//                               that table has a rule accepting tvd's bridges (tvd-*) or bridged frames
//   link <ifname> <mtu>         every interface but lo, from /sys/class/net
//   addr <ifname> <a.b.c.d/nn>  IPv4 addresses, from `ip -o -4 addr`
//   xen <key> <value…>          xen_major, xen_minor, xen_version from `xl info`; `xen toolstack xl`
//   hypervisor <sha256> <path>  digest of the hypervisor binary: /boot/xen.gz, else the last
//                               /boot/xen-*.gz, else the `xl` on PATH (the lab's stand-in)
//   tpm <0|1>                   /dev/tpm0, /dev/tpmrm0 or an entry in /sys/class/tpm
//   tpmquote <sha256>|failed    a quote of PCRs 0-7 with a fresh AK, where tpm2-tools work
//   crypt <name…>               dm-crypt devices (dmsetup, else lsblk); empty when none
//   rootusers <name…>           accounts with uid 0
//   end                         the last line: anything shorter was cut off
import { createHash } from 'node:crypto';
import { OWN_MARK, TVD_MKDIR } from '../host/own-folders.js';
import { PROBE_CACHE, RUN_DIR } from '../host/paths.js';
import { sh, shBare, shRaw, type Sh } from '../shell/quote.js';

export const PROBE_FORMAT = 1;

/** The per-boot cache (see PER_BOOT). The host bundle removes it with the host's last record. */

/** Run it as `sh -s` with PROBE_INPUT on stdin, so nothing has to be quoted into a command line. */
export const PROBE_COMMAND = sh`sh -s`;

/**
 * A probe as sent on stdin: in a subshell whose stdin is /dev/null. The shell reads its script
 * from stdin, so a tool in the probe that read stdin would eat the rest of the script; a subshell
 * is read whole before it runs. (The refresh sends the observation after it, on the same stdin.)
 */
export function probeInput(probe: Sh): Sh {
  return sh`(\n${probe}\n) </dev/null\n`;
}

// What the kernel and the hypervisor can do does not change while the host is up, and the link
// tests are slow (deleting a bridge waits for the kernel, under a lock all namespaces share). So
// their result is cached per boot in /run/tvd (see the script below), under a key made of the
// boot id and the digest of this text: a tvd whose tests differ never reads another's cache.
// Modules installed during the boot (a newer modules.dep) retake them.
const PER_BOOT = shRaw`# Kernel link tests, the hypervisor's version and nftables: cached per boot (below).
per_boot() {
  parent=""
  bridge=0
  if ip link add "$t"b type bridge >/dev/null 2>&1; then
    bridge=1
    parent="$t"b
  elif ip link add "$t"d type dummy >/dev/null 2>&1; then
    parent="$t"d
  fi
  echo "mech bridge $bridge"
  vlan=0
  if [ -n "$parent" ] && ip link add link "$parent" name "$t"v type vlan id 2 >/dev/null 2>&1; then vlan=1; fi
  echo "mech vlan $vlan"
  echo "mech vxlan $(ok ip link add "$t"x type vxlan id 42 dstport 4789)"
  # WireGuard in the kernel: a throwaway link (loads the module on demand). Printed as
  # wgkernel, and as mech wireguard only with wg there (below: tools may come during the boot).
  echo "wgkernel $(ok ip link add "$t"w type wireguard)"
  # Loading ip_gre makes gre0, gretap0 and erspan0 in every namespace, which stay: where the
  # module is not loaded yet, its presence answers (as for etherip), so a probe leaves no link.
  if [ -d /sys/module/ip_gre ]; then
    echo "mech gretap $(ok ip link add "$t"g type gretap local 127.0.0.1 remote 127.0.0.2)"
  elif has modinfo && modinfo ip_gre >/dev/null 2>&1; then
    echo "mech gretap 1"
  else
    echo "mech gretap 0"
  fi
  etherip=0
  if [ -d /sys/module/etherip ] || { has modinfo && modinfo etherip >/dev/null 2>&1; }; then etherip=1; fi
  echo "mech etherip $etherip"
  if has xl; then
    echo "xen toolstack xl"
    xl info 2>/dev/null | awk -F: '/^(xen_major|xen_minor|xen_version)[ \t]*:/ {
      k = $1; sub(/[ \t]+$/, "", k); v = $0; sub(/^[^:]*:[ \t]*/, "", v); print "xen " k " " v }'
  fi
  # Only a yes: a kernel that has nf_tables keeps it, but nft may be installed during the boot.
  if nft_works; then echo "mech nftables 1"; fi
  cleanup
}
`;
const PER_BOOT_KEY = shBare(createHash('sha256').update(PER_BOOT).digest('hex').slice(0, 16));

export const PROBE_SCRIPT = shRaw`# tvd capability probe (format 1). Read-only, apart from throwaway links it
# deletes again and its per-boot cache, ${PROBE_CACHE}.
set -u
LC_ALL=C
export LC_ALL
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
t="tvdp$$"
qd=""
tested=""
cleanup() {
  if [ -n "$tested" ]; then
    for l in "$t"v "$t"x "$t"w "$t"g "$t"b "$t"d; do ip link del "$l" >/dev/null 2>&1; done
  fi
  if [ -n "$qd" ]; then rm -rf "$qd"; fi
}
trap cleanup EXIT
has() { command -v "$1" >/dev/null 2>&1; }
nft_works() { has nft && nft list tables >/dev/null 2>&1; }
ok() { if "$@" >/dev/null 2>&1; then echo 1; else echo 0; fi; }

echo "probe 1"
# The effective uid (as id -u), read by the shell itself: the third word of Uid: in its status.
uid=""
if [ -r /proc/self/status ]; then
  while read -r k _ e _; do if [ "$k" = Uid: ]; then uid=$e; fi; done </proc/self/status
fi
[ -n "$uid" ] || uid=$(id -u)
echo "uid $uid"

${PER_BOOT}${TVD_MKDIR}
cache=${PROBE_CACHE}
boot=""
if [ -r /proc/sys/kernel/random/boot_id ]; then read -r boot </proc/sys/kernel/random/boot_id; fi
key="tvd-probe-cache ${PER_BOOT_KEY} $boot"
# Every process costs a Dom0 a millisecond or two, times every host of every refresh: the shell's
# own read, globs and -nt stand in for uname, find, ls, cut and awk where they can.
kr=""
if [ -r /proc/sys/kernel/osrelease ]; then read -r kr </proc/sys/kernel/osrelease; else kr=$(uname -r); fi
moddep="/lib/modules/$kr/modules.dep"
first=""
if [ -n "$boot" ] && [ -f "$cache" ]; then read -r first <"$cache"; fi
nft=""
wgk=0
# The per-boot lines as they are printed; nftables' is held back, to be printed after them,
# and the kernel's WireGuard is printed with the tools' presence.
per_boot_line() {
  case $1 in
    "mech nftables 1") nft=1 ;;
    "wgkernel 1") wgk=1 ;;
    wgkernel*) ;;
    *) printf '%s\n' "$1" ;;
  esac
}
# shellcheck disable=SC3013 # -nt: dash, bash, ksh and busybox sh all have it
if [ "$first" = "$key" ] && { [ ! -e "$moddep" ] || [ "$cache" -nt "$moddep" ]; }; then
  { read -r _; while IFS= read -r l; do per_boot_line "$l"; done; } <"$cache"
else
  tested=1
  fresh=$(per_boot)
  while IFS= read -r l; do per_boot_line "$l"; done <<EOF
$fresh
EOF
  # Only a root probe is cached: as any other user the link tests fail.
  # The folder, when the probe makes it, is marked as tvd's (${OWN_MARK}), so that the bundle that
  # removes the host's last record removes it too, and never one that was there before.
  if [ -n "$boot" ] && [ "$uid" = 0 ] && tvd_mkdir ${RUN_DIR} 2>/dev/null &&
     printf '%s\n%s\n' "$key" "$fresh" >"$cache.$$" 2>/dev/null; then
    mv -f "$cache.$$" "$cache"
  else
    rm -f "$cache.$$"
  fi
fi
# A cached yes stands while nft is there; a no is tested again on every probe of this boot.
if [ "$nft" = 1 ] && ! has nft; then nft=0; fi
if [ -z "$nft" ]; then
  nft=0
  if [ -z "$tested" ] && nft_works; then nft=1; fi
fi
echo "mech nftables $nft"
# WireGuard: the kernel's, or wireguard-go in user space; both need wg (wireguard-tools).
wg=0
if has wg; then wg=1; fi
if [ "$wgk" = 1 ] && [ "$wg" = 1 ]; then echo "mech wireguard 1"; else echo "mech wireguard 0"; fi
if [ "$wg" = 1 ] && has wireguard-go; then echo "mech wireguard-go 1"; else echo "mech wireguard-go 0"; fi

# Bridged frames and Dom0's firewall: where br_netfilter is loaded, bridge-nf-call-iptables=1 (a
# setting of each network namespace) sends every frame a bridge forwards through the IPv4 FORWARD
# hook, so a FORWARD policy of drop (Docker sets one) drops TVD traffic; the same for IPv6. The
# sysctls are read by the shell; the firewall only when one is on, and only tables that exist:
# legacy ones as /proc/net/*_tables_names lists them (listing one would load it), nftables' from
# one 'nft list chains' (iptables-nft's are nftables tables). Printed: each drop policy of a
# forward hook (fwddrop), and whether its table has a rule that accepts tvd's bridges, tvd-*, or
# bridged frames (fwdaccept), as the fix the plan suggests would add.
brnf=0
for f in iptables ip6tables arptables; do
  v=""
  if [ -r "/proc/sys/net/bridge/bridge-nf-call-$f" ]; then read -r v <"/proc/sys/net/bridge/bridge-nf-call-$f"; fi
  if [ -n "$v" ]; then
    echo "brnf $f $v"
    if [ "$v" = 1 ]; then brnf=1; fi
  fi
done
# xt_scan FAMILY SOURCE: the filter table as 'iptables -S' prints it, in $l.
xt_scan() {
  acc=0
  while IFS= read -r x; do
    case $x in
      "-P FORWARD DROP") echo "fwddrop $1 $2 filter FORWARD" ;;
      "-A "*" tvd-"*"-j ACCEPT"* | "-A "*"--physdev-is-bridged"*"-j ACCEPT"*) acc=1 ;;
    esac
  done <<EOF
$l
EOF
  if [ "$acc" = 1 ]; then echo "fwdaccept $1 $2 filter"; fi
}
# xt_legacy FAMILY TOOL NAMES: the legacy filter table, if NAMES (this namespace's) lists one.
xt_legacy() {
  found=""
  if [ -r "$3" ]; then
    while read -r x; do if [ "$x" = filter ]; then found=1; fi; done <"$3"
  fi
  [ -n "$found" ] || return 0
  # An iptables without -legacy and -nft beside it is an old one, which is legacy.
  tool=""
  if has "$2-legacy"; then tool="$2-legacy"; elif has "$2" && ! has "$2-nft"; then tool=$2; fi
  [ -n "$tool" ] || return 0
  if l=$("$tool" -w 2 -S 2>/dev/null); then xt_scan "$1" "$tool"; fi
}
if [ "$brnf" = 1 ]; then
  xt_legacy ip iptables /proc/net/ip_tables_names
  xt_legacy ip6 ip6tables /proc/net/ip6_tables_names
  if [ "$nft" = 1 ]; then
    l=$(nft list chains 2>/dev/null)
    fam=""
    tab=""
    drops=""
    NL='
'
    while read -r a b c x; do
      case $a in
        table) fam=$b tab=$c ;;
        chain) ch=$b ;;
        type)
          case "$c $x" in
            "hook forward "*"policy drop;"*)
              echo "fwddrop $fam nft $tab $ch"
              drops="$drops$fam $tab$NL"
              ;;
          esac
          ;;
      esac
    done <<EOF
$l
EOF
    while read -r df dt; do
      [ -n "$dt" ] || continue
      acc=0
      l=$(nft list table "$df" "$dt" 2>/dev/null </dev/null)
      case $l in
        *'"tvd-'*accept*)
          while IFS= read -r x; do
            case $x in *'"tvd-'*accept*) acc=1 ;; esac
          done <<EOF
$l
EOF
          ;;
      esac
      if [ "$acc" = 1 ]; then echo "fwdaccept $df nft $dt"; fi
    done <<EOF
$drops
EOF
  else
    # No nft: iptables-nft, where it is, reads nftables' ip and ip6 filter tables.
    for t in iptables ip6tables; do
      fam=ip
      if [ "$t" = ip6tables ]; then fam=ip6; fi
      if has "$t-nft" && l=$("$t-nft" -S 2>/dev/null); then xt_scan "$fam" "$t-nft"; fi
    done
  fi
fi

# In the shell itself, not a subshell: nothing after this uses a relative path.
if cd /sys/class/net 2>/dev/null; then
  for n in *; do
    [ "$n" = lo ] && continue
    if [ -r "$n/mtu" ] && read -r m <"$n/mtu"; then echo "link $n $m"; fi
  done
  cd /
fi
# A listing is taken with one process and read from a here-document: a pipe into a loop would
# fork the loop too.
l=$(ip -o -4 addr show 2>/dev/null)
while read -r _ n _ a _; do if [ -n "$a" ]; then echo "addr $n $a"; fi; done <<EOF
$l
EOF

hv=""
if [ -f /boot/xen.gz ]; then
  hv=/boot/xen.gz
else
  for f in /boot/xen-*.gz; do if [ -f "$f" ]; then hv="$f"; fi; done
fi
if [ -z "$hv" ] && has xl; then hv=$(command -v xl); fi
if [ -n "$hv" ] && has sha256sum; then
  l=$(sha256sum "$hv")
  read -r sum _ <<EOF
$l
EOF
  echo "hypervisor $sum $hv"
fi

tpm=0
if [ -e /dev/tpm0 ] || [ -e /dev/tpmrm0 ]; then tpm=1; fi
for f in /sys/class/tpm/*; do if [ -e "$f" ]; then tpm=1; fi; done
echo "tpm $tpm"
if [ "$tpm" = 1 ] && has tpm2_createek && has tpm2_createak && has tpm2_quote; then
  qd=$(mktemp -d)
  nonce=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  if (cd "$qd" &&
      timeout 60 tpm2_createek -c ek.ctx -G rsa -u ek.pub &&
      timeout 60 tpm2_createak -C ek.ctx -c ak.ctx -G rsa -g sha256 -s rsassa -u ak.pub -n ak.name &&
      timeout 60 tpm2_quote -c ak.ctx -l sha256:0,1,2,3,4,5,6,7 -q "$nonce" -m quote.msg -s quote.sig -o quote.pcrs -g sha256
     ) >/dev/null 2>&1; then
    sha256sum "$qd/quote.msg" | { read -r sum _; echo "tpmquote $sum"; }
  else
    echo "tpmquote failed"
  fi
fi

# A dm-crypt device is a device-mapper device: where sysfs shows none (no /sys/block/dm-*),
# neither dmsetup nor lsblk could list one, so neither is started.
crypt=""
dm=1
if [ -d /sys/block ]; then
  dm=""
  for f in /sys/block/dm-*; do if [ -e "$f" ]; then dm=1; fi; done
fi
if [ -n "$dm" ] && has dmsetup; then
  l=$(dmsetup ls --target crypt 2>/dev/null)
  while read -r n _; do if [ -n "$n" ] && [ "$n" != No ]; then crypt="$crypt$n "; fi; done <<EOF
$l
EOF
fi
if [ -n "$dm" ] && [ -z "$crypt" ] && has lsblk; then
  l=$(lsblk -rno NAME,TYPE 2>/dev/null)
  while read -r n ty _; do if [ "$ty" = crypt ]; then crypt="$crypt$n "; fi; done <<EOF
$l
EOF
fi
echo "crypt $crypt"

if has getent; then pw=$(getent passwd 2>/dev/null); else pw=""; fi
[ -n "$pw" ] || pw=$(cat /etc/passwd)
root=""
while IFS=: read -r n _ id _; do if [ "$id" = 0 ]; then root="$root$n "; fi; done <<EOF
$pw
EOF
echo "rootusers $root"
echo "end"
`;

export const PROBE_INPUT = probeInput(PROBE_SCRIPT);
