// Rendering, pure: resources -> idempotent POSIX sh for a Xen Dom0. See host-bundle.ts for the
// one script a host runs per apply, and host-record.ts for what the host keeps.
export { renderUp, renderDown } from './resource-scripts.js';
export { renderHostBundle, type BundleStep } from './host-bundle.js';
export { renderManifestScript, attrsDigest, attrsJson, recordDirName } from './host-record.js';
export { shQuote, assertSafe, type SafeKind } from './quote.js';
export { proxyHookDigest } from './proxy.js';
export { VIF_HOOK } from './vif-hook.js';
export { BOOT_SCRIPT, BOOT_UNIT } from './boot-unit.js';
export { policyFile, admissionLine } from './policy-file.js';
export { rulesetPath } from './firewall.js';
export { perPeerDevice } from './encap.js';
