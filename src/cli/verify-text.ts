// The text of a `tvd verify` round: the probes an earlier run left and were removed, then the findings.
import type { Palette } from './palette.js';
import type { VerifyResult } from '../verify/run-verify.js';
import { findingLine } from '../refresh/finding.js';

function removedText(r: VerifyResult, c: Palette): string {
  return (r.probesRemoved ?? [])
    .map((x) => c.yellow(`host ${x.host}: removed probes an earlier tvd verify --probe left behind: ${x.names.join(', ')}`) + '\n')
    .join('');
}

export function text(r: VerifyResult, c: Palette): string {
  return removedText(r, c) + findingsText(r, c);
}

function findingsText(r: VerifyResult, c: Palette): string {
  if (r.findings.length === 0) {
    return (
      c.green(
        `Clean: ${r.hosts.length} ${r.hosts.length === 1 ? 'host matches' : 'hosts match'} the state and ${r.hosts.length === 1 ? 'meets' : 'meet'} every membership requirement.`,
      ) + '\n'
    );
  }
  const colour = (k: string) => (k === 'membership' ? c.red : k === 'foreign' ? c.red : c.yellow);
  const lines = r.findings.map((f) => colour(f.kind)(findingLine(f)));
  const hosts = new Set(r.findings.map((f) => f.host)).size;
  lines.push(
    '',
    `${r.findings.length} ${r.findings.length === 1 ? 'finding' : 'findings'} on ${hosts} ${hosts === 1 ? 'host' : 'hosts'}. \`tvd plan\` shows the repair of drift and foreign parts; \`tvd apply\` carries it out.`,
  );
  return lines.join('\n') + '\n';
}
