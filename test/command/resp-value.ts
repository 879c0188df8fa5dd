// Decode raw RESP2/RESP3 reply bytes into plain values, keeping the wire types that COMMAND's
// checks care about (a status reply is not a bulk string; a RESP3 set is not an array), so tests can
// compare COMMAND INFO / COMMAND DOCS field by field and say exactly which field differs.

export type RespValue =
  | { readonly t: 'simple'; readonly v: string }
  | { readonly t: 'error'; readonly v: string }
  | { readonly t: 'int'; readonly v: number }
  | { readonly t: 'bulk'; readonly v: string }
  | { readonly t: 'null' }
  | { readonly t: 'double'; readonly v: string }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'array' | 'set' | 'push'; readonly v: readonly RespValue[] }
  | { readonly t: 'map'; readonly v: ReadonlyArray<readonly [RespValue, RespValue]> };

/** Decode exactly one reply; throws when bytes are left over or missing. */
export function decodeReply(buf: Buffer): RespValue {
  const [value, end] = decodeAt(buf, 0);
  if (end !== buf.length) throw new Error(`trailing bytes after reply at ${end} of ${buf.length}`);
  return value;
}

function decodeAt(buf: Buffer, start: number): [RespValue, number] {
  const lineEnd = buf.indexOf('\r\n', start);
  if (lineEnd === -1) throw new Error(`incomplete reply at byte ${start}`);
  const type = String.fromCharCode(buf[start]!);
  const header = buf.toString('latin1', start + 1, lineEnd);
  let pos = lineEnd + 2;
  switch (type) {
    case '+':
      return [{ t: 'simple', v: header }, pos];
    case '-':
      return [{ t: 'error', v: header }, pos];
    case ':':
      return [{ t: 'int', v: Number(header) }, pos];
    case ',':
      return [{ t: 'double', v: header }, pos];
    case '#':
      return [{ t: 'bool', v: header === 't' }, pos];
    case '_':
      return [{ t: 'null' }, pos];
    case '$':
    case '=': {
      const n = Number(header);
      if (n < 0) return [{ t: 'null' }, pos];
      return [{ t: 'bulk', v: buf.toString('latin1', pos, pos + n) }, pos + n + 2];
    }
    case '*':
    case '~':
    case '>': {
      const n = Number(header);
      if (n < 0) return [{ t: 'null' }, pos];
      const items: RespValue[] = [];
      for (let i = 0; i < n; i++) {
        const [item, next] = decodeAt(buf, pos);
        items.push(item);
        pos = next;
      }
      return [{ t: type === '*' ? 'array' : type === '~' ? 'set' : 'push', v: items }, pos];
    }
    case '%': {
      const n = Number(header);
      const pairs: Array<readonly [RespValue, RespValue]> = [];
      for (let i = 0; i < n; i++) {
        const [key, afterKey] = decodeAt(buf, pos);
        const [value, afterValue] = decodeAt(buf, afterKey);
        pairs.push([key, value]);
        pos = afterValue;
      }
      return [{ t: 'map', v: pairs }, pos];
    }
    default:
      throw new Error(`not a RESP reply at byte ${start}: ${JSON.stringify(buf.toString('latin1', start, start + 20))}`);
  }
}

/** The text of a simple/bulk string (or the decimal text of an integer). */
export function text(value: RespValue): string {
  if (value.t === 'simple' || value.t === 'bulk' || value.t === 'error' || value.t === 'double') return value.v;
  if (value.t === 'int') return String(value.v);
  throw new Error(`expected a string, got ${value.t}`);
}

/** The items of an array or set (a RESP2 map arrives as a flat array). */
export function items(value: RespValue): readonly RespValue[] {
  if (value.t === 'array' || value.t === 'set' || value.t === 'push') return value.v;
  throw new Error(`expected an aggregate, got ${value.t}`);
}

/** Key/value pairs of a RESP3 map, or of a RESP2 flat array of alternating keys and values. */
export function pairs(value: RespValue): Array<readonly [string, RespValue]> {
  if (value.t === 'map') return value.v.map(([k, v]) => [text(k), v] as const);
  const flat = items(value);
  if (flat.length % 2 !== 0) throw new Error('odd number of items in a map-shaped array');
  const out: Array<readonly [string, RespValue]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([text(flat[i]!), flat[i + 1]!]);
  return out;
}

/** A compact, order-preserving rendering for messages and deep comparisons: types stay visible. */
export function show(value: RespValue): string {
  switch (value.t) {
    case 'simple':
      return `+${value.v}`;
    case 'error':
      return `-${value.v}`;
    case 'int':
      return `:${value.v}`;
    case 'bulk':
      return JSON.stringify(value.v);
    case 'null':
      return 'null';
    case 'double':
      return `,${value.v}`;
    case 'bool':
      return value.v ? '#t' : '#f';
    case 'array':
      return `[${value.v.map(show).join(', ')}]`;
    case 'set':
      return `~[${value.v.map(show).join(', ')}]`;
    case 'push':
      return `>[${value.v.map(show).join(', ')}]`;
    case 'map':
      return `{${value.v.map(([k, v]) => `${show(k)}: ${show(v)}`).join(', ')}}`;
  }
}
