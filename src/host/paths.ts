// Every place on a Dom0 where tvd puts or reads a file, in one module, so that the scripts that
// write them (src/apply/render), the probe (src/capabilities), the planner's VM config paths
// (src/plan) and the observation (src/verify) cannot disagree. Pure constants; no stage above it.
// Each family hangs off its root; a path is spelled once. Each is a bare shell word (shBare), so
// scripts put them in as they are, also inside double quotes.
import { shBare } from '../shell/quote.js';

/** tvd's own folder: what it keeps for itself on a host (kept across reboots). */
export const TVD_DIR = shBare('/var/lib/tvd');
/** The manifest: one folder per resource, `<rank>-<type>.<name>/{address,up,down,attrs.json}`. */
export const RECORDS_DIR = shBare(`${TVD_DIR}/res`);
/** The TVD proxy's policy, read by the vif hook. */
export const POLICY_PATH = shBare(`${TVD_DIR}/policy.json`);
/** Each TVD firewall's nftables ruleset. */
export const FIREWALL_DIR = shBare(`${TVD_DIR}/fw`);
/** Per NIC tvd took as a TVD's dedicated NIC: how it found it (up or down). */
export const TAKEN_NICS_DIR = shBare(`${TVD_DIR}/nic`);
/** Replays every recorded `up` after a reboot (run by the boot unit). */
export const BOOT_SCRIPT_PATH = shBare(`${TVD_DIR}/boot.sh`);
/** A host's WireGuard keys, one generation a file (`<gen>.key` 0600, `<gen>.pub`): src/apply/render/wireguard-key.ts. */
export const WIREGUARD_DIR = shBare(`${TVD_DIR}/wireguard`);
/** Where wireguard-go and wg meet: one socket per interface (wireguard-go's own place, not tvd's). */
export const WIREGUARD_RUN_DIR = shBare('/var/run/wireguard');

/** Per boot (tmpfs): the host lock and the probe's cache. */
export const RUN_DIR = shBare('/run/tvd');
export const HOST_LOCK_PATH = shBare(`${RUN_DIR}/lock`);
/** "<pid of the holding script> <who>", written by an exclusive holder once it has the lock. */
export const HOST_LOCK_HOLDER = shBare(`${RUN_DIR}/lock.holder`);
export const PROBE_CACHE = shBare(`${RUN_DIR}/probe.cache`);
/** Held by a `verify --probe` run while its probe endpoints are up (src/refresh/probe-sweep.ts). */
export const PROBE_LOCK_PATH = shBare(`${RUN_DIR}/probe.lock`);

/** Xen's configuration folder: tvd's VM configs and its vif hook live in Xen's places. */
export const XEN_DIR = shBare('/etc/xen');
export const VM_CONFIG_DIR = shBare(`${XEN_DIR}/tvd`);
/** The vif hook (the TVD proxy's admission), named by `script=` on every vif line. */
export const VIF_HOOK_PATH = shBare(`${XEN_DIR}/scripts/vif-tvd`);

/** The vif hook's log of refusals. */
export const LOG_DIR = shBare('/var/log/tvd');
export const VIF_HOOK_LOG = shBare(`${LOG_DIR}/vif-tvd.log`);

/** systemd: the boot unit, and its link that enables it. */
export const SYSTEMD_DIR = shBare('/etc/systemd/system');
export const BOOT_UNIT_NAME = shBare('tvd-boot.service');
export const BOOT_UNIT_PATH = shBare(`${SYSTEMD_DIR}/${BOOT_UNIT_NAME}`);
export const BOOT_UNIT_WANTS = shBare(`${SYSTEMD_DIR}/multi-user.target.wants/${BOOT_UNIT_NAME}`);
