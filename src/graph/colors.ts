// Colours for TVDs in pictures: distinct, readable with black text, stable by TVD order.
export interface TvdColor {
  /** Fill of a TVD's group of VMs. */
  fill: string;
  /** Border and the TVD's own node. */
  stroke: string;
}

const COLORS: TvdColor[] = [
  { fill: '#dbe9f6', stroke: '#3d78b5' },
  { fill: '#fbe3cf', stroke: '#d9772b' },
  { fill: '#dcefd9', stroke: '#4a9a45' },
  { fill: '#eadcf2', stroke: '#8a55a8' },
  { fill: '#f8dada', stroke: '#c44a4a' },
  { fill: '#f6f0c8', stroke: '#a8901f' },
  { fill: '#d5efee', stroke: '#2e918c' },
  { fill: '#f3dce9', stroke: '#b44d86' },
];

export function tvdColor(index: number): TvdColor {
  return COLORS[index % COLORS.length];
}

/** Flow edge colours: open green, controlled orange, closed grey. */
export const FLOW_COLOR = { open: '#2f8f2f', controlled: '#d9822b', closed: '#999999' } as const;
