// Positional layouts of the most frequent effects, for records of version 2.
//
// A version-1 record holds every effect as a msgpack map: each record repeats its field names
// ("op", "db", "key", "value", "expireAtMs"), which made up half the bytes of a SET's record and a
// good part of the time to decode it at start-up. In a version-2 record, an effect with a layout
// here is a msgpack array [code, field1, field2, ...] in the layout's field order; trailing fields
// that are absent are left out. Any other effect (an op without a layout, or an effect carrying a
// field its layout does not list) is written as the map, exactly as in version 1, so a new effect
// type or field never needs a layout to be logged correctly.
//
// The codes and field lists are part of the on-disk format: never change or reuse one; add new
// layouts with new codes, and new fields at the end of a list.

import type { Effect } from '../effects';

export interface Layout {
  readonly code: number;
  readonly op: Effect['op'];
  readonly fields: readonly string[];
}

const LAYOUTS: readonly Layout[] = [
  { code: 1, op: 'set', fields: ['db', 'key', 'value', 'expireAtMs', 'plain'] },
  { code: 2, op: 'del', fields: ['db', 'keys', 'expired'] },
  { code: 3, op: 'expire', fields: ['db', 'key', 'atMs'] },
  { code: 4, op: 'persist', fields: ['db', 'key'] },
  { code: 5, op: 'append', fields: ['db', 'key', 'bytes'] },
  { code: 6, op: 'lpush', fields: ['db', 'key', 'elements', 'fill'] },
  { code: 7, op: 'rpush', fields: ['db', 'key', 'elements', 'fill'] },
  { code: 8, op: 'lpop', fields: ['db', 'key', 'count', 'fill'] },
  { code: 9, op: 'rpop', fields: ['db', 'key', 'count', 'fill'] },
  { code: 10, op: 'lmove', fields: ['db', 'from', 'to', 'whereFrom', 'whereTo', 'fill'] },
  { code: 11, op: 'stream', fields: ['db', 'key', 'change'] },
];

const BY_OP = new Map<string, Layout>(LAYOUTS.map((layout) => [layout.op, layout]));
const BY_CODE: ReadonlyArray<Layout | undefined> = (() => {
  const table: Array<Layout | undefined> = [];
  for (const layout of LAYOUTS) table[layout.code] = layout;
  return table;
})();

type Fields = Readonly<Record<string, unknown>>;

/** The layout with this code, or undefined for an unknown one (fast-decode.ts). */
export function layoutOfCode(code: number): Layout | undefined {
  return BY_CODE[code];
}

/** The form an effect takes in a version-2 record: its positional array, or itself (a map). */
export function packEffect(effect: Effect): unknown {
  const layout = BY_OP.get(effect.op);
  if (layout === undefined) return effect;
  const fields = effect as unknown as Fields;
  const packed: unknown[] = [layout.code];
  let present = 1; // op
  let last = 0;
  for (let i = 0; i < layout.fields.length; i++) {
    const value = fields[layout.fields[i]!];
    packed.push(value);
    if (value !== undefined) {
      present++;
      last = i + 1;
    }
  }
  // A field the layout does not know (or one set to undefined) would be lost: keep the map form.
  let own = 0;
  for (const name in fields) if (Object.prototype.hasOwnProperty.call(fields, name)) own++;
  if (own !== present) return effect;
  packed.length = last + 1;
  return packed;
}

/**
 * The effect a version-2 record element stands for: a map is the effect itself, an array is
 * rebuilt from its layout. Null when the element is neither (or names an unknown layout code).
 */
export function unpackEffect(element: unknown): Effect | null {
  if (!Array.isArray(element)) {
    if (element === null || typeof element !== 'object' || typeof (element as { op?: unknown }).op !== 'string') return null;
    return element as Effect;
  }
  const code: unknown = element[0];
  const layout = typeof code === 'number' ? BY_CODE[code] : undefined;
  if (layout === undefined || element.length > layout.fields.length + 1) return null;
  const effect: Record<string, unknown> = { op: layout.op };
  for (let i = 1; i < element.length; i++) {
    const value: unknown = element[i];
    if (value !== undefined) effect[layout.fields[i - 1]!] = value;
  }
  return effect as unknown as Effect;
}
