// The command table, kept honest two ways:
//  1. against real Redis: for every command and subcommand Sluice declares, its COMMAND INFO entry
//     (arity, flags, key positions, ACL categories, tips, key specs) and its COMMAND DOCS (group,
//     since, doc flags, deprecation, history versions, argument structure; not the prose) must equal
//     Redis's, field by field. Known 7.0 → 7.2 changes are listed, with reasons, in ./redis72.ts.
//  2. on its own: names, arities, flags vs ACL categories, docs, key positions and key specs must be
//     consistent, whatever Redis says.

import t from 'tap';
import { legacyRange } from '../../commands/server/command/render';
import { commandTable } from '../../commands/table';
import type { ArgSpec, CommandSpec, KeySpec } from '../../commands/types';
import { redisSkip } from '../support/differential';
import { RawClient } from '../support/resp';
import { startRedis, startSluice } from '../support/servers';
import { parseDocs, parseInfoEntry, showKeySpec, specFromRedis, type DocArg, type DocEntry, type InfoEntry } from './command-info';
import { CHANGED_IN_72, NEW_IN_72 } from './redis72';
import { decodeReply, items } from './resp-value';

interface Mismatch {
  readonly command: string;
  readonly field: string;
  readonly ours: string;
  readonly redis: string;
}

const list = (values: readonly string[]) => (values.length === 0 ? '(none)' : values.join(' '));

/** Every compared field of one command (not its subcommands), by field name, as text. */
function fieldsOf(info: InfoEntry, doc: DocEntry | undefined): Map<string, string> {
  const fields = new Map<string, string>([
    ['arity', String(info.arity)],
    ['flags', list(info.flags)],
    ['first/last/step', `${info.first} ${info.last} ${info.step}`],
    ['acl', list(info.acl)],
    ['tips', list(info.tips)],
    ['keyspecs', list(info.keySpecs.map(showKeySpec))],
    ['reply types', info.shapes.join(' ')],
  ]);
  if (doc !== undefined) {
    fields.set('docs.group', doc.group);
    fields.set('docs.since', doc.since);
    fields.set('docs.doc_flags', list(doc.docFlags));
    fields.set('docs.deprecated_since', doc.deprecatedSince ?? '(none)');
    fields.set('docs.replaced_by', doc.replacedBy ?? '(none)');
    fields.set('docs.history', list(doc.history));
    fields.set('docs.arguments', showArgs(doc.args));
  }
  return fields;
}

/** A command and its subcommands as full name → fields. */
function flatten(info: InfoEntry, doc: DocEntry | undefined, into = new Map<string, Map<string, string>>()): Map<string, Map<string, string>> {
  into.set(info.name, fieldsOf(info, doc));
  for (const [name, sub] of info.subcommands) flatten(sub, doc?.subcommands.get(name), into);
  return into;
}

/** An argument tree as one line: name{fields} with nested arguments in parentheses. */
function showArgs(args: readonly DocArg[]): string {
  if (args.length === 0) return '(none)';
  return args
    .map((a) => {
      const fields = a.fields.filter((f) => !f.startsWith('name=')).join(' ');
      return `${a.name}{${fields}}${a.args.length > 0 ? `(${showArgs(a.args)})` : ''}`;
    })
    .join(' ');
}

/**
 * Differences between our description of one top-level command and Redis's. Allowlisted 7.0 → 7.2
 * changes are checked against 7.2's value instead (they pass only when ours is 7.2's).
 */
function compareCommand(
  ours: Map<string, Map<string, string>>,
  redis: Map<string, Map<string, string>>,
  notes: string[],
): { mismatches: Mismatch[]; known: Mismatch[] } {
  const mismatches: Mismatch[] = [];
  const known: Mismatch[] = [];
  for (const [command, fields] of ours) {
    const theirs = redis.get(command);
    if (theirs === undefined) {
      const added = NEW_IN_72.get(command);
      if (added === undefined) {
        mismatches.push({ command, field: 'exists', ours: 'yes', redis: 'unknown command' });
        continue;
      }
      // Not in the installed 7.0: compare with the 7.2 values the allowlist records.
      notes.push(`${command}: new in 7.2, compared with 7.2's recorded values (${added.why})`);
      for (const [field, expected] of Object.entries(added.fields)) {
        const value = fields.get(field) ?? '(absent)';
        if (value !== expected) mismatches.push({ command, field: `${field} (7.2)`, ours: value, redis: expected });
      }
      continue;
    }
    for (const [field, value] of fields) {
      const change = CHANGED_IN_72.find((c) => c.command === command && c.field === field);
      const redisValue = theirs.get(field) ?? '(absent)';
      if (change !== undefined) {
        const m = { command, field, ours: value, redis: change.redis72 };
        if (value !== change.redis72) mismatches.push({ ...m, field: `${field} (7.2)` });
        else known.push({ ...m, redis: redisValue });
      } else if (value !== redisValue) {
        mismatches.push({ command, field, ours: value, redis: redisValue });
      }
    }
  }
  const missing = [...redis.keys()].filter((n) => !ours.has(n));
  if (missing.length > 0) notes.push(`subcommands Redis has and Sluice does not: ${missing.sort().join(' ')}`);
  return { mismatches, known };
}

t.test('every command in the table describes itself as Redis does', { skip: redisSkip }, async (t) => {
  const [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  t.teardown(() => Promise.all([redis.stop(), sluice.stop()]));
  const [r, s] = await Promise.all([RawClient.connect(redis.port), RawClient.connect(sluice.port)]);
  t.teardown(() => (r.close(), s.close()));
  await Promise.all([r.call('HELLO', '3'), s.call('HELLO', '3')]);

  const names = [...commandTable().keys()].sort();
  const oursInfo = new Map(items(decodeReply(await s.call('COMMAND'))).map((e) => [parseInfoEntry(e).name, parseInfoEntry(e)] as const));
  const redisInfo = items(decodeReply(await r.call('COMMAND', 'INFO', ...names)));
  const oursDocs = parseDocs(decodeReply(await s.call('COMMAND', 'DOCS')));
  const redisDocs = parseDocs(decodeReply(await r.call('COMMAND', 'DOCS', ...names)));

  const known: Mismatch[] = [];
  const all: Mismatch[] = [];
  const notes: string[] = [];
  let compared = 0;
  for (const [i, name] of names.entries()) {
    const ours = oursInfo.get(name);
    const theirs = redisInfo[i]!;
    let found: Mismatch[];
    if (ours === undefined) {
      found = [{ command: name, field: 'exists', ours: 'missing from COMMAND', redis: 'yes' }];
    } else {
      const oursFlat = flatten(ours, oursDocs.get(name));
      const redisFlat = theirs.t === 'null' ? new Map<string, Map<string, string>>() : flatten(parseInfoEntry(theirs), redisDocs.get(name));
      const result = compareCommand(oursFlat, redisFlat, notes);
      found = result.mismatches;
      known.push(...result.known);
      compared += oursFlat.size;
    }
    all.push(...found);
    // One assertion per top-level command; the diff lists each field that differs.
    t.strictSame(
      found.map((m) => `${m.command} ${m.field}: ours ${m.ours} | redis ${m.redis}`),
      [],
      `${name}${ours !== undefined && ours.subcommands.size > 0 ? ` (+${ours.subcommands.size} subcommands)` : ''} matches Redis`,
    );
  }
  t.comment(`${compared} commands and subcommands compared with Redis; ${all.length} mismatches`);
  for (const m of all) t.comment(`MISMATCH ${m.command} | ${m.field} | ours: ${m.ours} | redis: ${m.redis}`);
  for (const m of known) t.comment(`known 7.0→7.2 change: ${m.command} ${m.field}: 7.0 ${m.redis}, Sluice (7.2) ${m.ours}`);
  for (const note of notes) t.comment(note);
});

// ---- the table on its own

const GROUPS = new Set([
  'generic', 'string', 'list', 'set', 'sorted-set', 'hash', 'pubsub', 'transactions', 'connection',
  'server', 'scripting', 'hyperloglog', 'cluster', 'sentinel', 'geo', 'stream', 'bitmap',
]);
const KEY_FLAGS = new Set(['RO', 'RW', 'OW', 'RM', 'ACCESS', 'UPDATE', 'INSERT', 'DELETE', 'NOT_KEY', 'INCOMPLETE', 'VARIABLE_FLAGS']);
const TIP = /^(nondeterministic_output|nondeterministic_output_order|request_policy:(all_nodes|all_shards|multi_shard|special)|response_policy:(one_succeeded|all_succeeded|agg_logical_and|agg_logical_or|agg_min|agg_max|agg_sum|special))$/;
const VERSION = /^\d+\.\d+\.\d+$/;

/** Every inconsistency in one spec (and its subcommands), as readable sentences. */
function tableProblems(spec: CommandSpec, parent?: CommandSpec): string[] {
  const name = parent === undefined ? spec.name : `${parent.name}|${spec.name}`;
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${name}: ${text}`);

  if (!/^[a-z][a-z0-9_-]*$/.test(spec.name)) say(`name '${spec.name}' is not a lower-case command word`);
  if (!Number.isInteger(spec.arity) || spec.arity === 0) say(`arity ${spec.arity} must be a non-zero integer`);
  if (parent !== undefined && Math.abs(spec.arity) < 2) say(`a subcommand's arity counts the container and itself: ${spec.arity}`);
  if (spec.summary.trim() === '') say('no summary');
  if (!VERSION.test(spec.since)) say(`since '${spec.since}' is not a version`);
  if (!GROUPS.has(spec.group)) say(`group '${spec.group}' is not one of Redis's command groups`);
  if (parent !== undefined && spec.group !== parent.group) say(`group '${spec.group}' differs from its container's '${parent.group}'`);
  for (const f of spec.docFlags ?? []) if (f !== 'deprecated' && f !== 'syscmd') say(`unknown doc flag '${f}'`);
  for (const tip of spec.tips ?? []) if (!TIP.test(tip)) say(`unknown tip '${tip}'`);

  // ACL categories Redis derives from the flags must be declared, so ACL code reading spec.acl agrees with COMMAND.
  const acl = new Set(spec.acl);
  const flags = new Set(spec.flags);
  const need = (category: (typeof spec.acl)[number], why: string) => {
    if (!acl.has(category)) say(`${why} but acl lacks '${category}'`);
  };
  if (flags.has('write')) need('write', 'flag write');
  if (flags.has('readonly') && !acl.has('scripting')) need('read', 'flag readonly');
  if (flags.has('admin')) {
    need('admin', 'flag admin');
    need('dangerous', 'flag admin');
  }
  if (flags.has('pubsub')) need('pubsub', 'flag pubsub');
  if (flags.has('blocking')) need('blocking', 'flag blocking');
  if (flags.has('fast')) need('fast', 'flag fast');
  if (!acl.has('fast')) need('slow', 'not fast');
  if (flags.has('write') && flags.has('readonly')) say('both write and readonly');
  if (new Set(spec.flags).size !== spec.flags.length) say('a flag is listed twice');
  if (new Set(spec.acl).size !== spec.acl.length) say('an ACL category is listed twice');

  // Legacy key positions: within the arity, and what Redis derives from the key specs.
  const [first, last, step] = spec.keys;
  const minArgs = Math.abs(spec.arity);
  if (first < 0 || step < 0) say(`negative key position ${first} ${last} ${step}`);
  if (first > 0 && step === 0) say('keys declared with step 0');
  if (first > 0 && first >= minArgs && spec.arity > 0) say(`first key ${first} beyond arity ${spec.arity}`);
  if (spec.arity > 0 && last >= spec.arity) say(`last key ${last} beyond arity ${spec.arity}`);
  const keySpecs = spec.keySpecs ?? [];
  if (keySpecs.length === 0 && first !== 0) say('legacy key positions without key specs (Redis 7 derives them from key specs)');
  if (keySpecs.length > 0) {
    const derived = legacyRange(keySpecs);
    if (derived.first !== first || derived.last !== last || derived.step !== step) {
      say(`keys [${first}, ${last}, ${step}] but the key specs give [${derived.first}, ${derived.last}, ${derived.step}]`);
    }
  }
  keySpecs.forEach((k, i) => problems.push(...keySpecProblems(name, i, k, spec.arity)));
  checkArgs(spec.arguments ?? [], keySpecs.length, (text) => say(text));
  const keyArgs = countKeyArgs(spec.arguments ?? []);
  keySpecs.forEach((k, i) => {
    // Channels (not_key specs) are documented as plain strings.
    if (!keyArgs.has(i) && !hasNotKey(k) && (spec.arguments ?? []).length > 0) say(`key spec ${i} has no key argument`);
  });

  // Containers: subcommands only, no keys, each subcommand with a handler and a unique name.
  if (spec.subcommands !== undefined) {
    if (parent !== undefined) say('subcommands nested two levels deep');
    const seen = new Set<string>();
    for (const sub of spec.subcommands) {
      if (seen.has(sub.name)) say(`subcommand '${sub.name}' declared twice`);
      seen.add(sub.name);
      problems.push(...tableProblems(sub, spec));
    }
    if (spec.subcommands.length === 0) say('a container without subcommands');
    if (keySpecs.length > 0 || first !== 0) say('a container with keys');
  } else if (spec.handler === undefined) {
    say('no handler');
  }
  return problems;
}

function keySpecProblems(name: string, i: number, k: KeySpec, arity: number): string[] {
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${name}: key spec ${i}: ${text}`);
  const upper = k.flags.map((f) => f.toUpperCase());
  for (const f of upper) if (!KEY_FLAGS.has(f)) say(`unknown flag '${f}'`);
  const access = upper.filter((f) => f === 'RO' || f === 'RW' || f === 'OW' || f === 'RM');
  if (access.length > 1) say(`more than one of RO/RW/OW/RM: ${access.join(' ')}`);
  if (access.length === 0 && !upper.includes('NOT_KEY')) say('none of RO/RW/OW/RM');
  if (k.beginSearch.type === 'index') {
    if (k.beginSearch.index < 1) say(`begin index ${k.beginSearch.index} must be at least 1`);
    // Only a fixed arity bounds it: optional trailing keys start past the minimum (PFMERGE dest [src ...]).
    if (arity > 0 && k.beginSearch.index >= arity) say(`begin index ${k.beginSearch.index} beyond arity ${arity}`);
  } else if (k.beginSearch.type === 'keyword') {
    if (k.beginSearch.startfrom === 0) say('keyword search starting from 0');
    if (k.beginSearch.keyword !== k.beginSearch.keyword.toUpperCase()) say(`keyword '${k.beginSearch.keyword}' not upper-case`);
  }
  if (k.findKeys.type === 'range') {
    if (k.findKeys.step < 1) say(`range step ${k.findKeys.step}`);
    if (k.findKeys.limit < 0) say(`range limit ${k.findKeys.limit}`);
    if (k.findKeys.limit > 0 && k.findKeys.lastkey !== -1) say('a range limit needs lastkey -1');
  } else if (k.findKeys.type === 'keynum') {
    if (k.findKeys.keynumidx < 0 || k.findKeys.firstkey < 1 || k.findKeys.step < 1) say('keynum positions out of range');
  }
  return problems;
}

function checkArgs(args: readonly ArgSpec[], keySpecCount: number, say: (text: string) => void, path = 'argument'): void {
  // Names may repeat (CLIENT KILL has two ip:port, LCS two len): Redis documents them that way.
  for (const arg of args) {
    const where = `${path} '${arg.name}'`;
    if (arg.name === '') say(`${path} without a name`);
    const nested = arg.type === 'oneof' || arg.type === 'block';
    if (nested && (arg.arguments === undefined || arg.arguments.length === 0)) say(`${where} is a ${arg.type} without arguments`);
    if (!nested && arg.arguments !== undefined) say(`${where} is a ${arg.type} with nested arguments`);
    if (arg.type === 'key' && (arg.keySpecIndex === undefined || arg.keySpecIndex < 0 || arg.keySpecIndex >= keySpecCount)) {
      say(`${where} is a key without a valid keySpecIndex (${arg.keySpecIndex ?? 'none'} of ${keySpecCount} specs)`);
    }
    if (arg.type === 'pure-token' && arg.token === undefined) say(`${where} is a pure-token without a token`);
    if (arg.multipleToken === true && arg.multiple !== true) say(`${where} is multiple_token but not multiple`);
    if (arg.since !== undefined && !VERSION.test(arg.since)) say(`${where} since '${arg.since}' is not a version`);
    if (nested) checkArgs(arg.arguments ?? [], keySpecCount, say, `${where} >`);
  }
}

function hasNotKey(k: KeySpec): boolean {
  return k.flags.some((f) => f.toUpperCase() === 'NOT_KEY');
}

function countKeyArgs(args: readonly ArgSpec[], found = new Set<number>()): Set<number> {
  for (const arg of args) {
    if (arg.keySpecIndex !== undefined) found.add(arg.keySpecIndex);
    countKeyArgs(arg.arguments ?? [], found);
  }
  return found;
}

t.test('the command table is consistent', async (t) => {
  const table = commandTable();
  t.ok(table.size > 0, `${table.size} commands in the table`);
  for (const [name, spec] of table) {
    t.equal(name, spec.name, `${name} is registered under its own name`);
    t.strictSame(tableProblems(spec), [], `${name}${spec.subcommands ? ` (+${spec.subcommands.length} subcommands)` : ''} is consistent`);
  }
});

t.test('the consistency check catches broken specs', async (t) => {
  const good: CommandSpec = {
    name: 'getx',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['read', 'string', 'fast'],
    keys: [1, 1, 1],
    keySpecs: [{ flags: ['RO', 'ACCESS'], beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: 0, step: 1, limit: 0 } }],
    summary: 'Returns x.',
    since: '1.0.0',
    group: 'string',
    arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
    handler: () => undefined,
  };
  t.strictSame(tableProblems(good), [], 'a good spec passes');
  const broken: Array<[string, Partial<CommandSpec>, RegExp]> = [
    ['upper-case name', { name: 'GetX' }, /not a lower-case/],
    ['zero arity', { arity: 0 }, /non-zero/],
    ['write without @write', { flags: ['write'], acl: ['string', 'slow'] }, /flag write but acl lacks 'write'/],
    ['fast flag without @fast', { acl: ['read', 'string', 'slow'] }, /flag fast but acl lacks 'fast'/],
    ['no summary', { summary: ' ' }, /no summary/],
    ['bad since', { since: '7' }, /not a version/],
    ['bad group', { group: 'strings' }, /not one of Redis's command groups/],
    ['key beyond arity', { keys: [2, 2, 1] }, /first key 2 beyond arity 2/],
    ['keys not derived from specs', { keys: [1, -1, 1], arity: -2 }, /key specs give \[1, 1, 1\]/],
    ['bad key flag', { keySpecs: [{ flags: ['RO', 'READ'], beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: 0, step: 1, limit: 0 } }] }, /unknown flag 'READ'/],
    ['key arg without spec', { arguments: [{ name: 'key', type: 'key' }] }, /without a valid keySpecIndex/],
    ['no handler', { handler: undefined }, /no handler/],
    ['unknown tip', { tips: ['request_policy:sometimes'] }, /unknown tip/],
    [
      'duplicate subcommands',
      { keys: [0, 0, 0], keySpecs: undefined, arguments: undefined, handler: undefined, subcommands: [{ ...subOf(), name: 'a' }, { ...subOf(), name: 'a' }] },
      /subcommand 'a' declared twice/,
    ],
  ];
  for (const [what, change, expected] of broken) {
    const problems = tableProblems({ ...good, ...change } as CommandSpec);
    t.match(problems.join('\n'), expected, `catches: ${what}`);
  }
});

t.test("the consistency check accepts Redis's own command table", { skip: redisSkip }, async (t) => {
  // Every rule above must hold for Redis itself; a rule Redis breaks would be a false alarm.
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const r = await RawClient.connect(redis.port);
  t.teardown(() => r.close());
  await r.call('HELLO', '3');
  const docs = parseDocs(decodeReply(await r.call('COMMAND', 'DOCS')));
  const problems: string[] = [];
  let checked = 0;
  for (const entry of items(decodeReply(await r.call('COMMAND')))) {
    const info = parseInfoEntry(entry);
    const doc = docs.get(info.name);
    if (doc === undefined) continue;
    problems.push(...tableProblems(specFromRedis(info, doc, 'Redis summary.')));
    checked++;
  }
  t.ok(checked > 200, `${checked} Redis commands checked`);
  t.strictSame(problems, [], 'no rule is broken by Redis itself');
});

function subOf(): CommandSpec {
  return { name: 'sub', arity: 2, flags: [], acl: ['slow'], keys: [0, 0, 0], summary: 'A subcommand.', since: '1.0.0', group: 'string', handler: () => undefined };
}
