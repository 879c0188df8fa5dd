// How COMMAND INFO and COMMAND DOCS render a CommandSpec, exactly as Redis 7.2 does (server.c:
// addReplyCommandInfo / addReplyCommandDocs). Everything here is derived from the table; the few
// things Redis computes rather than declares (movablekeys, implicit ACL categories, the legacy key
// range) are computed the same way here, so a spec only has to say what the Redis JSON files say.

import type { AclCategory, ArgSpec, CommandFlag, CommandSpec, KeySpec, Reply } from '../../types';

/** Command flags in the order Redis prints them; may_replicate, sentinel and only_sentinel are hidden on purpose. */
const SHOWN_FLAGS: readonly CommandFlag[] = [
  'write',
  'readonly',
  'denyoom',
  'module',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'asking',
  'fast',
  'no_auth',
  'no_mandatory_keys',
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
];

/** ACL categories in Redis's ACLCommandCategories order (the order COMMAND INFO prints them). */
export const ACL_CATEGORY_ORDER: readonly AclCategory[] = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

/** Key-spec flags: the upper-case name a spec may use → the name Redis prints, in print order. */
export const KEY_SPEC_FLAGS: ReadonlyArray<readonly [string, string]> = [
  ['RO', 'RO'],
  ['RW', 'RW'],
  ['OW', 'OW'],
  ['RM', 'RM'],
  ['ACCESS', 'access'],
  ['UPDATE', 'update'],
  ['INSERT', 'insert'],
  ['DELETE', 'delete'],
  ['NOT_KEY', 'not_key'],
  ['INCOMPLETE', 'incomplete'],
  ['VARIABLE_FLAGS', 'variable_flags'],
];

/** The key-spec flags of `flags` as Redis prints them, in Redis's order (unknown names dropped). */
export function keySpecFlagNames(flags: readonly string[]): string[] {
  const wanted = new Set(flags.map((f) => f.toUpperCase()));
  return KEY_SPEC_FLAGS.filter(([upper]) => wanted.has(upper)).map(([, shown]) => shown);
}

export function hasKeySpecFlag(spec: KeySpec, flag: string): boolean {
  return spec.flags.some((f) => f.toUpperCase() === flag);
}

export interface LegacyRange {
  readonly first: number;
  readonly last: number;
  readonly step: number;
  /** The key specs say something the legacy triple cannot (Redis then sets CMD_MOVABLE_KEYS). */
  readonly movable: boolean;
}

/**
 * The legacy (first, last, step) Redis derives from key specs (populateCommandLegacyRangeSpec), with
 * last made absolute the way COMMAND INFO prints it. Specs that fit no plain range make keys movable.
 */
export function legacyRange(keySpecs: readonly KeySpec[] | undefined): LegacyRange {
  if (keySpecs === undefined || keySpecs.length === 0) return { first: 0, last: 0, step: 0, movable: false };
  const only = keySpecs[0]!;
  if (keySpecs.length === 1 && only.beginSearch.type === 'index' && only.findKeys.type === 'range') {
    const first = only.beginSearch.index;
    const rel = only.findKeys.lastkey;
    return {
      first,
      last: rel >= 0 ? rel + first : rel,
      step: only.findKeys.step,
      movable: hasKeySpecFlag(only, 'INCOMPLETE'),
    };
  }
  let movable = false;
  let first = Number.MAX_SAFE_INTEGER;
  let last = 0;
  let prevLast = 0;
  for (const spec of keySpecs) {
    if (spec.beginSearch.type !== 'index' || spec.findKeys.type !== 'range') {
      movable = true;
      continue;
    }
    const pos = spec.beginSearch.index;
    if (spec.findKeys.step !== 1 || (prevLast !== 0 && prevLast !== pos - 1)) {
      movable = true;
      continue;
    }
    if (hasKeySpecFlag(spec, 'INCOMPLETE')) movable = true;
    first = Math.min(first, pos);
    const abs = spec.findKeys.lastkey >= 0 ? spec.findKeys.lastkey + pos : spec.findKeys.lastkey;
    // Redis compares as unsigned, so a negative (counted from the end) last key wins over any index.
    last = abs >>> 0 > last >>> 0 ? abs : last;
    prevLast = last;
  }
  if (first === Number.MAX_SAFE_INTEGER) return { first: 0, last: 0, step: 0, movable: true };
  return { first, last, step: 1, movable };
}

/** The flags COMMAND INFO shows for a spec: declared ones plus movablekeys when the key specs imply it. */
export function shownFlags(spec: CommandSpec): string[] {
  const declared = new Set<string>(spec.flags);
  if (legacyRange(spec.keySpecs).movable) declared.add('movablekeys');
  return SHOWN_FLAGS.filter((f) => declared.has(f));
}

/** The ACL categories a command belongs to: declared plus those Redis implies from its flags (setImplicitACLCategories). */
export function aclCategories(spec: CommandSpec): AclCategory[] {
  const cats = new Set<AclCategory>(spec.acl);
  const flags = new Set<CommandFlag>(spec.flags);
  if (flags.has('write')) cats.add('write');
  // Scripting commands are kept out of @read even when read-only (EVAL_RO, FCALL_RO).
  if (flags.has('readonly') && !cats.has('scripting')) cats.add('read');
  if (flags.has('admin')) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (flags.has('pubsub')) cats.add('pubsub');
  if (flags.has('fast')) cats.add('fast');
  if (flags.has('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return ACL_CATEGORY_ORDER.filter((c) => cats.has(c));
}

/** "get" or "client|kill": the name COMMAND replies use. */
export function fullNameOf(spec: CommandSpec, parent: CommandSpec | undefined): string {
  return parent === undefined ? spec.name : `${parent.name}|${spec.name}`;
}

// ---- COMMAND INFO

/** One COMMAND INFO entry: [name, arity, flags, first, last, step, categories, tips, key specs, subcommands]. */
export function writeCommandInfo(out: Reply, spec: CommandSpec, parent?: CommandSpec): void {
  out.array(10);
  out.bulk(fullNameOf(spec, parent));
  out.integer(spec.arity);
  writeStatusSet(out, shownFlags(spec));
  const [first, last, step] = spec.keys;
  out.integer(first);
  out.integer(last);
  out.integer(step);
  writeStatusSet(out, aclCategories(spec).map((c) => `@${c}`));
  const tips = spec.tips ?? [];
  out.set(tips.length);
  for (const tip of tips) out.bulk(tip);
  const keySpecs = spec.keySpecs ?? [];
  out.set(keySpecs.length);
  for (const keySpec of keySpecs) writeKeySpec(out, keySpec);
  if (spec.subcommands === undefined) {
    out.set(0);
  } else {
    out.array(spec.subcommands.length);
    for (const sub of spec.subcommands) writeCommandInfo(out, sub, spec);
  }
}

function writeKeySpec(out: Reply, keySpec: KeySpec): void {
  out.map(keySpec.notes !== undefined ? 4 : 3);
  if (keySpec.notes !== undefined) {
    out.bulk('notes');
    out.bulk(keySpec.notes);
  }
  out.bulk('flags');
  writeStatusSet(out, keySpecFlagNames(keySpec.flags));

  out.bulk('begin_search');
  out.map(2);
  out.bulk('type');
  const begin = keySpec.beginSearch;
  out.bulk(begin.type);
  out.bulk('spec');
  if (begin.type === 'index') {
    out.map(1);
    out.bulk('index');
    out.integer(begin.index);
  } else if (begin.type === 'keyword') {
    out.map(2);
    out.bulk('keyword');
    out.bulk(begin.keyword);
    out.bulk('startfrom');
    out.integer(begin.startfrom);
  } else {
    out.map(0);
  }

  out.bulk('find_keys');
  out.map(2);
  out.bulk('type');
  const find = keySpec.findKeys;
  out.bulk(find.type);
  out.bulk('spec');
  if (find.type === 'range') {
    out.map(3);
    out.bulk('lastkey');
    out.integer(find.lastkey);
    out.bulk('keystep');
    out.integer(find.step);
    out.bulk('limit');
    out.integer(find.limit);
  } else if (find.type === 'keynum') {
    out.map(3);
    out.bulk('keynumidx');
    out.integer(find.keynumidx);
    out.bulk('firstkey');
    out.integer(find.firstkey);
    out.bulk('keystep');
    out.integer(find.step);
  } else {
    out.map(0);
  }
}

// ---- COMMAND DOCS

/** One command's COMMAND DOCS map (the caller writes the name before it). */
export function writeCommandDocs(out: Reply, spec: CommandSpec): void {
  const docFlags = DOC_FLAGS.filter((f) => spec.docFlags?.includes(f));
  const args = spec.arguments ?? [];
  const hasArgs = args.length > 0;
  const fields =
    3 +
    (spec.complexity !== undefined ? 1 : 0) +
    (docFlags.length > 0 ? 1 : 0) +
    (spec.deprecatedSince !== undefined ? 1 : 0) +
    (spec.replacedBy !== undefined ? 1 : 0) +
    (spec.history !== undefined && spec.history.length > 0 ? 1 : 0) +
    (hasArgs ? 1 : 0) +
    (spec.subcommands !== undefined ? 1 : 0);
  out.map(fields);
  out.bulk('summary');
  out.bulk(spec.summary);
  out.bulk('since');
  out.bulk(spec.since);
  out.bulk('group');
  out.bulk(spec.group);
  if (spec.complexity !== undefined) {
    out.bulk('complexity');
    out.bulk(spec.complexity);
  }
  if (docFlags.length > 0) {
    out.bulk('doc_flags');
    writeStatusSet(out, docFlags);
  }
  if (spec.deprecatedSince !== undefined) {
    out.bulk('deprecated_since');
    out.bulk(spec.deprecatedSince);
  }
  if (spec.replacedBy !== undefined) {
    out.bulk('replaced_by');
    out.bulk(spec.replacedBy);
  }
  if (spec.history !== undefined && spec.history.length > 0) {
    out.bulk('history');
    out.set(spec.history.length);
    for (const [since, change] of spec.history) {
      out.array(2);
      out.bulk(since);
      out.bulk(change);
    }
  }
  if (hasArgs) {
    out.bulk('arguments');
    writeArgs(out, args);
  }
  if (spec.subcommands !== undefined) {
    out.bulk('subcommands');
    out.map(spec.subcommands.length);
    for (const sub of spec.subcommands) {
      out.bulk(fullNameOf(sub, spec));
      writeCommandDocs(out, sub);
    }
  }
}

const DOC_FLAGS = ['deprecated', 'syscmd'] as const;

function writeArgs(out: Reply, args: readonly ArgSpec[]): void {
  out.array(args.length);
  for (const arg of args) {
    const flags = argFlags(arg);
    const nested = arg.type === 'oneof' || arg.type === 'block';
    const fields =
      2 +
      (arg.keySpecIndex !== undefined && arg.keySpecIndex >= 0 ? 1 : 0) +
      (arg.token !== undefined ? 1 : 0) +
      (arg.summary !== undefined ? 1 : 0) +
      (arg.since !== undefined ? 1 : 0) +
      (arg.deprecatedSince !== undefined ? 1 : 0) +
      (flags.length > 0 ? 1 : 0) +
      (nested ? 1 : 0);
    // Redis prints no display_text for built-in commands (its command table carries none), so
    // `display` only serves documentation; it is not part of the reply.
    out.map(fields);
    out.bulk('name');
    out.bulk(arg.name);
    out.bulk('type');
    out.bulk(arg.type);
    if (arg.keySpecIndex !== undefined && arg.keySpecIndex >= 0) {
      out.bulk('key_spec_index');
      out.integer(arg.keySpecIndex);
    }
    if (arg.token !== undefined) {
      out.bulk('token');
      out.bulk(arg.token);
    }
    if (arg.summary !== undefined) {
      out.bulk('summary');
      out.bulk(arg.summary);
    }
    if (arg.since !== undefined) {
      out.bulk('since');
      out.bulk(arg.since);
    }
    if (arg.deprecatedSince !== undefined) {
      out.bulk('deprecated_since');
      out.bulk(arg.deprecatedSince);
    }
    if (flags.length > 0) {
      out.bulk('flags');
      writeStatusSet(out, flags);
    }
    if (nested) {
      out.bulk('arguments');
      writeArgs(out, arg.arguments ?? []);
    }
  }
}

function argFlags(arg: ArgSpec): string[] {
  const flags: string[] = [];
  if (arg.optional === true) flags.push('optional');
  if (arg.multiple === true) flags.push('multiple');
  if (arg.multipleToken === true) flags.push('multiple_token');
  return flags;
}

function writeStatusSet(out: Reply, names: readonly string[]): void {
  out.set(names.length);
  for (const name of names) out.simple(name);
}
