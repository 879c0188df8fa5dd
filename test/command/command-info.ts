// Test helpers: COMMAND INFO / COMMAND DOCS replies decoded into plain records, so two servers' views
// of a command can be compared field by field, and a Redis entry turned back into a CommandSpec.

import type { AclCategory, ArgSpec, CommandFlag, CommandSpec, KeySpec } from '../../commands/types';
import { items, pairs, show, text, type RespValue } from './resp-value';

/** One COMMAND INFO entry, every field kept with its wire type visible (+status vs "bulk"). */
export interface InfoEntry {
  readonly name: string;
  readonly arity: number;
  readonly flags: readonly string[];
  readonly first: number;
  readonly last: number;
  readonly step: number;
  readonly acl: readonly string[];
  readonly tips: readonly string[];
  readonly keySpecs: readonly RespValue[];
  readonly subcommands: ReadonlyMap<string, InfoEntry>;
  /** The container types, e.g. "set" for flags in RESP3: [flags, acl, tips, keySpecs, subcommands]. */
  readonly shapes: readonly string[];
}

export function parseInfoEntry(value: RespValue): InfoEntry {
  const f = items(value);
  if (f.length !== 10) throw new Error(`COMMAND INFO entry with ${f.length} fields: ${show(value)}`);
  const subcommands = new Map<string, InfoEntry>();
  for (const sub of items(f[9]!)) {
    const entry = parseInfoEntry(sub);
    subcommands.set(entry.name, entry);
  }
  return {
    name: text(f[0]!),
    arity: intOf(f[1]!),
    flags: items(f[2]!).map(show),
    first: intOf(f[3]!),
    last: intOf(f[4]!),
    step: intOf(f[5]!),
    acl: items(f[6]!).map(show),
    tips: items(f[7]!).map(show),
    keySpecs: items(f[8]!),
    subcommands,
    shapes: [f[2]!, f[6]!, f[7]!, f[8]!, f[9]!].map((v) => v.t),
  };
}

function intOf(value: RespValue): number {
  if (value.t !== 'int') throw new Error(`expected an integer, got ${show(value)}`);
  return value.v;
}

/** A key spec as a comparable string; notes are documentation text, so only their presence counts. */
export function showKeySpec(value: RespValue): string {
  return show({
    t: 'map',
    v: pairs(value).map(([k, v]) => [{ t: 'bulk', v: k }, k === 'notes' ? { t: 'bulk', v: '(notes)' } : v] as const),
  });
}

/** Turn a Redis COMMAND INFO entry back into the spec fields key extraction needs. */
export function specFromInfo(entry: InfoEntry): CommandSpec {
  const base = entry.name.includes('|') ? entry.name.slice(entry.name.indexOf('|') + 1) : entry.name;
  const subs = [...entry.subcommands.values()].map(specFromInfo);
  return {
    name: base,
    arity: entry.arity,
    flags: entry.flags.map((f) => f.replace(/^\+/, '') as CommandFlag),
    acl: [],
    keys: [entry.first, entry.last, entry.step],
    keySpecs: entry.keySpecs.map(keySpecFromReply),
    summary: '',
    since: '',
    group: '',
    ...(subs.length > 0 ? { subcommands: subs } : {}),
  };
}

function keySpecFromReply(value: RespValue): KeySpec {
  const fields = new Map(pairs(value));
  const begin = new Map(pairs(fields.get('begin_search')!));
  const beginSpec = new Map(pairs(begin.get('spec')!));
  const find = new Map(pairs(fields.get('find_keys')!));
  const findSpec = new Map(pairs(find.get('spec')!));
  const num = (m: Map<string, RespValue>, k: string) => Number(text(m.get(k)!));
  const beginType = text(begin.get('type')!);
  const findType = text(find.get('type')!);
  return {
    flags: items(fields.get('flags')!).map((f) => text(f).toUpperCase()),
    beginSearch:
      beginType === 'index'
        ? { type: 'index', index: num(beginSpec, 'index') }
        : beginType === 'keyword'
          ? { type: 'keyword', keyword: text(beginSpec.get('keyword')!), startfrom: num(beginSpec, 'startfrom') }
          : { type: 'unknown' },
    findKeys:
      findType === 'range'
        ? { type: 'range', lastkey: num(findSpec, 'lastkey'), step: num(findSpec, 'keystep'), limit: num(findSpec, 'limit') }
        : findType === 'keynum'
          ? { type: 'keynum', keynumidx: num(findSpec, 'keynumidx'), firstkey: num(findSpec, 'firstkey'), step: num(findSpec, 'keystep') }
          : { type: 'unknown' },
  };
}

/** The documentation of one command, reduced to what must match Redis (no summary/complexity text). */
export interface DocEntry {
  readonly group: string;
  readonly since: string;
  readonly docFlags: readonly string[];
  readonly deprecatedSince: string | undefined;
  readonly replacedBy: string | undefined;
  /** Versions of the history entries (their wording is documentation text). */
  readonly history: readonly string[];
  readonly args: readonly DocArg[];
  readonly subcommands: ReadonlyMap<string, DocEntry>;
  /** Every key with the wire type of its value, e.g. "arguments:array". */
  readonly shape: string;
}

export interface DocArg {
  readonly name: string;
  readonly type: string;
  readonly token: string | undefined;
  readonly keySpecIndex: number | undefined;
  readonly since: string | undefined;
  /** optional / multiple / multiple_token */
  readonly flags: readonly string[];
  /** Every field but the nested arguments, as "key=value" in wire order (summary text excluded). */
  readonly fields: readonly string[];
  readonly args: readonly DocArg[];
}

/** Parse a COMMAND DOCS reply (a map of name → docs, RESP2 flat or RESP3 map). */
export function parseDocs(value: RespValue): Map<string, DocEntry> {
  const out = new Map<string, DocEntry>();
  for (const [name, doc] of pairs(value)) out.set(name, parseDocEntry(doc));
  return out;
}

function parseDocEntry(value: RespValue): DocEntry {
  const fields = new Map(pairs(value));
  const str = (k: string) => (fields.has(k) ? text(fields.get(k)!) : undefined);
  return {
    group: str('group') ?? '(none)',
    since: str('since') ?? '(none)',
    docFlags: fields.has('doc_flags') ? items(fields.get('doc_flags')!).map(show) : [],
    deprecatedSince: str('deprecated_since'),
    replacedBy: str('replaced_by'),
    history: fields.has('history') ? items(fields.get('history')!).map((h) => text(items(h)[0]!)) : [],
    args: fields.has('arguments') ? items(fields.get('arguments')!).map(parseDocArg) : [],
    subcommands: fields.has('subcommands') ? parseDocs(fields.get('subcommands')!) : new Map(),
    shape: pairs(value)
      .map(([k, v]) => `${k}:${v.t}`)
      .join(' '),
  };
}

function parseDocArg(value: RespValue): DocArg {
  const fields: string[] = [];
  let args: DocArg[] = [];
  const map = new Map(pairs(value));
  for (const [k, v] of map) {
    if (k === 'arguments') args = items(v).map(parseDocArg);
    else if (k !== 'summary') fields.push(`${k}=${show(v)}`);
  }
  const str = (k: string) => (map.has(k) ? text(map.get(k)!) : undefined);
  return {
    name: str('name') ?? '',
    type: str('type') ?? '',
    token: str('token'),
    keySpecIndex: map.has('key_spec_index') ? Number(str('key_spec_index')) : undefined,
    since: str('since'),
    flags: map.has('flags') ? items(map.get('flags')!).map(text) : [],
    fields,
    args,
  };
}

/** A full spec rebuilt from Redis's own COMMAND INFO and COMMAND DOCS (to check the checks on Redis's table). */
export function specFromRedis(info: InfoEntry, doc: DocEntry, summary: string): CommandSpec {
  const base = specFromInfo(info);
  const subs = [...info.subcommands.values()].map((sub) => specFromRedis(sub, doc.subcommands.get(sub.name)!, summary));
  const toArg = (a: DocArg): ArgSpec => ({
    name: a.name,
    type: a.type as ArgSpec['type'],
    ...(a.token !== undefined ? { token: a.token } : {}),
    ...(a.keySpecIndex !== undefined ? { keySpecIndex: a.keySpecIndex } : {}),
    ...(a.since !== undefined ? { since: a.since } : {}),
    ...(a.flags.includes('optional') ? { optional: true } : {}),
    ...(a.flags.includes('multiple') ? { multiple: true } : {}),
    ...(a.flags.includes('multiple_token') ? { multipleToken: true } : {}),
    ...(a.args.length > 0 ? { arguments: a.args.map(toArg) } : {}),
  });
  return {
    ...base,
    acl: info.acl.map((c) => c.replace(/^\+@/, '') as AclCategory),
    tips: info.tips.map((tip) => tip.replace(/^"|"$/g, '')),
    summary,
    since: doc.since,
    group: doc.group,
    docFlags: doc.docFlags.map((f) => f.replace(/^\+/, '')),
    arguments: doc.args.map(toArg),
    ...(subs.length > 0 ? { subcommands: subs } : { handler: () => undefined }),
  };
}
