// What a host looks like to tvd: its links, namespaces, nftables ruleset and tvd's file areas.
import { hostExec } from '../../lab/api.js';

const SNAPSHOT = `
echo '# links'; ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | sort
echo '# netns'; ip netns list | awk '{print $1}' | sort
echo '# nft'; nft list ruleset
echo '# files'; find /etc/xen /var/lib/tvd /etc/systemd/system ! -type d 2>/dev/null | sort
`;

export async function hostSnapshot(prefix: string, host: string): Promise<string> {
  const r = await hostExec(prefix, host, ['sh', '-c', SNAPSHOT]);
  if (r.code !== 0) throw new Error(`snapshot of ${host} failed: ${r.stderr}`);
  return `## ${host}\n${r.stdout}`;
}
