// `npm run bench -- --only NAME`: re-makes some sections of docs/benchmarks.md and keeps the
// others as the page had them (each section says when it was measured, and every comparison
// lives inside one section, so sections from different runs never mix figures). Pure text work.

export interface KeptPage {
  /** Section title -> its markdown, heading included, as the old page had it. */
  sections: Map<string, string>;
  /** Rows of the old Targets table, by the section title they start with. */
  targetRows: Map<string, string[]>;
}

export function keptSections(oldPage: string, remade: string[]): KeptPage {
  const sections = new Map<string, string>();
  const targetRows = new Map<string, string[]>();
  const parts = oldPage.split(/^(?=## )/m).slice(1);
  const titles = parts.map((p) => p.slice(3, p.indexOf('\n')).trim()).filter((t) => t !== 'Targets');
  for (const p of parts) {
    const title = p.slice(3, p.indexOf('\n')).trim();
    if (title === 'Targets') {
      for (const row of p.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| target ') && !l.startsWith('| ---'))) {
        const owner = titles.find((t) => row.startsWith(`| ${t}: `));
        if (owner && !remade.includes(owner)) targetRows.set(owner, [...(targetRows.get(owner) ?? []), row]);
      }
    } else if (!remade.includes(title)) {
      sections.set(title, p.trimEnd());
    }
  }
  return { sections, targetRows };
}
