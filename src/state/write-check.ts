// Whether a write may replace the stored state: checked inside the transaction that writes, so a
// write that lost a race is refused, never merged. Pure.
//
// A run knows the head it read (lineage and serial), and after its first write the head it
// wrote (with its own run id as the writer). apply raises the serial once and then rewrites the
// same serial as steps finish, so a write keeps the serial only over the run's own write.

export interface Head {
  lineage: string;
  serial: number;
  /** The run that wrote it; undefined for a head this run only read. */
  writer?: string;
}

export interface Next {
  lineage: string;
  serial: number;
}

/**
 * Why `next`, written by run `writer`, must not replace `stored`; undefined when it may.
 * `known`: what this run last read or wrote there (undefined: it found no state).
 */
export function writeRefusal(stored: Head | undefined, known: Head | undefined, next: Next, writer: string): string | undefined {
  if (!stored) return known ? `the state this run read (serial ${known.serial}) is gone from the backend` : undefined;
  if (!known) return `another run wrote a state (lineage ${stored.lineage}, serial ${stored.serial}) since this run found none`;
  if (stored.lineage !== next.lineage || stored.lineage !== known.lineage) {
    return `the backend holds another state (lineage ${stored.lineage}) than this run's (lineage ${next.lineage}); two states are never merged`;
  }
  if (stored.serial !== known.serial)
    return `the state moved since this run read it: it was at serial ${known.serial}, it is at ${stored.serial}`;
  if (known.writer !== undefined && stored.writer !== known.writer) return `another run rewrote serial ${stored.serial} meanwhile`;
  if (next.serial < stored.serial) return `the write would take the state back from serial ${stored.serial} to ${next.serial}`;
  if (next.serial === stored.serial && stored.writer !== writer)
    return `serial ${stored.serial} is another run's; a new write must raise the serial`;
  return undefined;
}
