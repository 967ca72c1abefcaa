// /var/lib/tvd/policy.json: the host's TVD policy, the proxy's half of the paper's step 6.
// It is JSON, and laid out so that a POSIX sh hook can decide with one `grep -qxF`:
//
//   {"format":1,"host":"host-a","bridges":{"tvd-5101":"web","tvd-5102":"db"},"admissions":[
//   {"vm":"w1","bridge":"tvd-5101","mac":"00:16:3e:00:01:10"},
//   {"vm":"w2","bridge":"tvd-5102","mac":"00:16:3e:00:01:11"}
//   ]}
//
// Line 1 holds everything but the admissions: `bridges` says which TVD each bridge is.
// Then one admission per line, keys in this order, no spaces, every line but the last ending
// in ",". The hook builds the line for (VM name, bridge, MAC) and accepts it with or without
// the comma: `grep -qxF -e "$line" -e "$line," policy.json`. No other line can equal an
// admission line. The last line closes both.
import type { Admission } from '../../plan/resources.js';
import { assertSafe } from './quote.js';

/** The exact line (without the comma) the hook looks for. Values are checked, so JSON needs no escapes. */
export function admissionLine(vm: string, bridge: string, mac: string): string {
  return `{"vm":"${assertSafe('name', vm)}","bridge":"${assertSafe('ifname', bridge)}","mac":"${assertSafe('mac', mac)}"}`;
}

export function policyFile(host: string, admissions: Admission[]): string {
  const bridges = new Map<string, string>();
  for (const a of admissions) {
    const tvd = bridges.get(assertSafe('ifname', a.bridge));
    if (tvd !== undefined && tvd !== a.tvd) throw new Error(`bridge ${a.bridge} is given to both ${tvd} and ${a.tvd}`);
    bridges.set(a.bridge, assertSafe('name', a.tvd));
  }
  const head = {
    format: 1,
    host: assertSafe('name', host),
    bridges: Object.fromEntries([...bridges].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
  };
  const lines = [...new Set(admissions.map((a) => admissionLine(a.vm, a.bridge, a.mac)))].sort();
  const text = [
    `${JSON.stringify(head).slice(0, -1)},"admissions":[`,
    ...lines.map((l, i) => (i < lines.length - 1 ? `${l},` : l)),
    ']}',
    '',
  ].join('\n');
  JSON.parse(text); // the layout above must stay valid JSON
  return text;
}
