// COMMAND, COMMAND INFO/DOCS/LIST/COUNT/GETKEYS/HELP against real Redis, byte for byte where the two
// servers must agree exactly, and the dispatcher's container / arity errors for every command.

import t from 'tap';
import { commandTable } from '../../commands/table';
import type { CommandSpec } from '../../commands/types';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';
import { parseDocs, parseInfoEntry } from './command-info';
import { changedFields, helpAs72, NEW_IN_72 } from './redis72';
import { decodeReply, items, show, text, type RespValue } from './resp-value';

/** COMMAND DOCS with summary/complexity text masked: that prose differs between Redis versions. */
function maskDocText(value: RespValue): RespValue {
  if (value.t === 'map') {
    return {
      t: 'map',
      v: value.v.map(([k, v]) => [k, k.t === 'bulk' && (k.v === 'summary' || k.v === 'complexity') ? { t: 'bulk', v: '(text)' } : maskDocText(v)] as const),
    };
  }
  if (value.t === 'array' || value.t === 'set') {
    // RESP2 maps are flat arrays: a value follows its key at an even index.
    const v = value.v.map((item, i) => {
      const key = i % 2 === 1 ? value.v[i - 1] : undefined;
      if (key !== undefined && key.t === 'bulk' && (key.v === 'summary' || key.v === 'complexity') && item.t === 'bulk') {
        return { t: 'bulk', v: '(text)' } as const;
      }
      return maskDocText(item);
    });
    return { t: value.t, v };
  }
  return value;
}

const docsStep = (...names: string[]): Step => ({
  cmd: ['COMMAND', 'DOCS', ...names],
  mask: (reply) => show(maskDocText(decodeReply(reply))),
});

/** Compare as a set of names: Redis lists commands in hash-table order. */
const sortedNames = (reply: Buffer): string => {
  const value = decodeReply(reply);
  return value.t === 'error' ? show(value) : JSON.stringify(items(value).map(text).sort());
};

t.test('COMMAND INFO entries match Redis byte for byte', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const script: Step[] = [
    ['COMMAND', 'INFO', 'ping'],
    ['COMMAND', 'INFO', 'command|info'],
    ['COMMAND', 'INFO', 'command|count'],
    ['COMMAND', 'INFO', 'command|docs'],
    ['COMMAND', 'INFO', 'command|list'],
    ['COMMAND', 'INFO', 'command|help'],
    ['COMMAND', 'INFO', 'COMMAND|Info', 'PING'],
    // Unknown names answer null, in place.
    ['COMMAND', 'INFO', 'nosuch'],
    ['COMMAND', 'INFO', 'ping', 'nosuch', 'ping'],
    ['COMMAND', 'INFO', 'ping|x', 'command|nosuch', 'command|info|x', '', '|', 'command|', '|info'],
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });
});

t.test('COMMAND DOCS matches Redis apart from summary text', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const script: Step[] = [
    docsStep('ping'),
    docsStep('command|info'),
    docsStep('command|docs'),
    docsStep('command|count'),
    docsStep('command|list'),
    docsStep('command|help'),
    // command|getkeys and command|getkeysandflags gained documented arguments in 7.2 (see redis72.ts).
    docsStep('PING', 'Command|Info'),
    // Commands with a history: its text is compared too, along with everything else but the prose.
    docsStep('exists', 'expire', 'expireat', 'pexpire', 'pexpireat', 'ttl', 'pttl', 'renamenx', 'scan'),
    docsStep('flushall', 'flushdb', 'set', 'getset', 'substr'),
    // Unknown names are left out of the map (not null).
    ['COMMAND', 'DOCS', 'nosuch'],
    ['COMMAND', 'DOCS', 'nosuch', 'ping|x', 'command|nosuch', ''],
    docsStep('nosuch', 'ping', 'nosuch'),
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });

  // The container's subcommands come in hash order from Redis: compare them as a map.
  for (const resp of [2, 3] as const) {
    const [r, s] = await Promise.all([RawClient.connect(pair.redis.port), RawClient.connect(pair.sluice.port)]);
    t.teardown(() => (r.close(), s.close()));
    if (resp === 3) await Promise.all([r.call('HELLO', '3'), s.call('HELLO', '3')]);
    const [expected, actual] = await Promise.all([r.call('COMMAND', 'DOCS', 'command'), s.call('COMMAND', 'DOCS', 'command')]);
    const plain = (buf: Buffer) => {
      const doc = parseDocs(decodeReply(buf)).get('command')!;
      const subs = [...doc.subcommands].filter(([name]) => !changedFields(name).some((f) => f.startsWith('docs.')));
      return { ...doc, subcommands: Object.fromEntries(subs.sort(([a], [b]) => a.localeCompare(b))) };
    };
    t.same(plain(actual), plain(expected), `RESP${resp} COMMAND DOCS command (subcommands as a map)`);
  }
});

t.test('COMMAND LIST filters and errors match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const script: Step[] = [
    ['COMMAND', 'LIST', 'foo'],
    ['COMMAND', 'LIST', 'FILTERBY'],
    ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT'],
    ['COMMAND', 'LIST', 'FILTERBY', 'foo', 'x'],
    ['COMMAND', 'LIST', 'FILTERBY', 'pattern', 'a', 'extra'],
    ['COMMAND', 'LIST', 'FILTERBY', 'pattern', 'a', 'FILTERBY', 'pattern', 'b'],
    ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'],
    ['COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'nosuch'],
    ['COMMAND', 'LIST', 'FILTERBY', 'pattern', 'nosuch*'],
    { cmd: ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'command*'], mask: sortedNames },
    { cmd: ['command', 'list', 'filterby', 'pattern', 'C?MMAND|*'], mask: sortedNames },
    { cmd: ['COMMAND', 'LIST', 'FILTERBY', 'pattern', 'p[hi]ng'], mask: sortedNames },
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });

  // Category filters: Sluice lists exactly the commands Redis lists that Sluice has.
  const [r, s] = await Promise.all([RawClient.connect(pair.redis.port), RawClient.connect(pair.sluice.port)]);
  t.teardown(() => (r.close(), s.close()));
  const names = async (c: RawClient, ...args: string[]) => items(decodeReply(await c.call('COMMAND', 'LIST', ...args))).map(text);
  const ours = new Set(await names(s));
  t.ok(ours.has('command|getkeys') && ours.has('command') && ours.has('ping'), 'COMMAND LIST lists containers and subcommands by full name');
  for (const category of ['connection', 'CONNECTION', 'slow', 'fast', 'read', 'write', 'keyspace', 'string', 'dangerous', 'admin']) {
    const expected = (await names(r, 'FILTERBY', 'ACLCAT', category)).filter((n) => ours.has(n)).sort();
    const actual = (await names(s, 'FILTERBY', 'ACLCAT', category)).filter((n) => !NEW_IN_72.has(n)).sort();
    t.same(actual, expected, `COMMAND LIST FILTERBY ACLCAT ${category}`);
  }
});

t.test('COMMAND, COMMAND COUNT, INFO and DOCS with no names agree with the table', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const table = commandTable();
  for (const resp of [2, 3] as const) {
    const c = await RawClient.connect(pair.sluice.port);
    t.teardown(() => c.close());
    if (resp === 3) await c.call('HELLO', '3');
    const count = decodeReply(await c.call('COMMAND', 'COUNT'));
    t.same(count, { t: 'int', v: table.size }, `RESP${resp} COMMAND COUNT is the table size`);
    const all = decodeReply(await c.call('COMMAND'));
    const names = items(all).map((e) => parseInfoEntry(e).name).sort();
    t.same(names, [...table.keys()].sort(), `RESP${resp} COMMAND has one entry per command`);
    t.equal((await c.call('COMMAND', 'INFO')).toString('latin1'), (await c.call('COMMAND')).toString('latin1'), `RESP${resp} COMMAND INFO with no names is COMMAND`);
    const docs = parseDocs(decodeReply(await c.call('COMMAND', 'DOCS')));
    t.same([...docs.keys()].sort(), [...table.keys()].sort(), `RESP${resp} COMMAND DOCS has one entry per command`);
    const list = items(decodeReply(await c.call('COMMAND', 'LIST'))).map(text);
    const expectedList = [...table.values()].flatMap((s) => [s.name, ...(s.subcommands ?? []).map((sub) => `${s.name}|${sub.name}`)]);
    t.same(list.sort(), expectedList.sort(), `RESP${resp} COMMAND LIST names every command and subcommand`);
  }
});

t.test('COMMAND GETKEYS, HELP and subcommand errors match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const script: Step[] = [
    { cmd: ['COMMAND', 'HELP'], mask: helpAs72 },
    { cmd: ['command', 'help'], mask: helpAs72 },
    ['COMMAND', 'HELP', 'x'],
    ['COMMAND', 'COUNT', 'x'],
    ['COMMAND', 'nosuch'],
    ['COMMAND', 'nosuch', 'a', 'b'],
    ['COMMAND', 'GETKEYS'],
    ['COMMAND', 'GETKEYSANDFLAGS'],
    ['COMMAND', 'GETKEYS', 'nosuch', 'x'],
    ['COMMAND', 'GETKEYS', 'ping', 'x'],
    ['COMMAND', 'GETKEYS', 'command', 'info', 'x'],
    ['COMMAND', 'GETKEYS', 'command', 'nosuch'],
    ['COMMAND', 'GETKEYS', 'command', 'getkeys', 'ping', 'x'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'nosuch', 'x'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'ping', 'x'],
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });

  // Every key-bearing command Sluice has: the keys of a plausible call and of a malformed one.
  const steps: Step[] = [];
  for (const spec of commandTable().values()) {
    for (const [name, sub] of commandsOf(spec)) {
      if (sub.keySpecs === undefined || sub.keySpecs.length === 0) continue;
      // Commands newer than the installed Redis (LMOVEM...) have their own GETKEYS checks.
      if (NEW_IN_72.has(name)) continue;
      const words = name.split('|');
      const n = Math.abs(sub.arity);
      // At least one argument after the name: a one-word line is where 7.0 and 7.2 differ (tested below).
      const line = [...words, ...Array.from({ length: Math.max(1, n - words.length) }, (_, i) => `k${i}`)];
      steps.push(['COMMAND', 'GETKEYS', ...line], ['COMMAND', 'GETKEYSANDFLAGS', ...line]);
      steps.push(['COMMAND', 'GETKEYSANDFLAGS', ...line, 'x', 'y']);
    }
  }
  t.comment(`${steps.length / 3} key-bearing commands in the table`);
  await pair.check(t, steps);
  await pair.check(t, steps, { resp: 3 });
});

t.test('COMMAND GETKEYS with a one-word command line follows Redis 7.2', async (t) => {
  // 7.0 declares GETKEYS with arity -4 (an arity error here); 7.2 has -3 and inspects the command.
  const sluice = await startSluice();
  t.teardown(() => sluice.stop());
  const c = await RawClient.connect(sluice.port);
  t.teardown(() => c.close());
  t.equal((await c.call('COMMAND', 'GETKEYS', 'nosuch')).toString(), '-ERR Invalid command specified\r\n');
  t.equal((await c.call('COMMAND', 'GETKEYS', 'ping')).toString(), '-ERR The command has no key arguments\r\n');
  t.equal((await c.call('COMMAND', 'GETKEYSANDFLAGS', 'command')).toString(), '-ERR The command has no key arguments\r\n');
});

/** A command and its subcommands, by full name. */
function commandsOf(spec: CommandSpec): Array<[string, CommandSpec]> {
  return [[spec.name, spec], ...(spec.subcommands ?? []).map((sub): [string, CommandSpec] => [`${spec.name}|${sub.name}`, sub])];
}

/** Commands whose accidental execution (should arities disagree) would disturb the test servers. */
const NO_ARITY_PROBE = new Set(['shutdown', 'monitor', 'sync', 'psync', 'quit', 'reset', 'debug', 'failover', 'replicaof', 'slaveof', 'save', 'bgsave', 'bgrewriteaof', 'client|kill', 'client|pause', 'subscribe', 'psubscribe', 'ssubscribe']);

t.test('dispatch: arity, unknown-subcommand and container errors match Redis for every command', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const r = await RawClient.connect(pair.redis.port);
  t.teardown(() => r.close());
  // Probes are built from Redis's arity, so Redis always rejects them before running anything.
  const redisArity = new Map<string, number>();
  for (const entry of items(decodeReply(await r.call('COMMAND')))) {
    const info = parseInfoEntry(entry);
    redisArity.set(info.name, info.arity);
    for (const sub of info.subcommands.values()) redisArity.set(sub.name, sub.arity);
  }
  const steps: Step[] = [];
  for (const spec of commandTable().values()) {
    // A container with a handler of its own (COMMAND) answers when called alone.
    if (spec.subcommands !== undefined && spec.handler === undefined) {
      const upper = spec.name.toUpperCase();
      steps.push([upper], [upper, 'nosuchsub'], [spec.name, 'NoSuch', 'a', 'b'], [upper, ''], [upper, 'x'.repeat(200)], [upper, 'a\r\nb']);
    }
    for (const [name, sub] of commandsOf(spec)) {
      const arity = redisArity.get(name);
      if (arity === undefined || NO_ARITY_PROBE.has(name) || (sub.subcommands !== undefined && sub.handler === undefined)) continue;
      if (changedFields(name).includes('arity')) continue; // 7.0's arity is not 7.2's: see redis72.ts
      const words = name.split('|');
      const probe = (argc: number) => {
        if (argc >= words.length) steps.push([...words.map((w) => w.toUpperCase()), ...Array.from({ length: argc - words.length }, () => 'x')]);
      };
      if (arity > 0) {
        probe(arity + 1);
        if (arity - 1 >= words.length) probe(arity - 1);
      } else if (-arity - 1 >= words.length) {
        probe(-arity - 1);
      }
    }
  }
  await pair.check(t, steps);
});

t.test("every container's HELP reply opens and closes as Redis's does", { skip: redisSkip }, async (t) => {
  // The subcommand lines differ between versions; the title line and the closing HELP entry do not.
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const frame = (reply: Buffer) => {
    const lines = items(decodeReply(Buffer.from(helpAs72(reply), 'latin1'))).map(show);
    return JSON.stringify([lines[0], ...lines.slice(-2)]);
  };
  const steps: Step[] = [];
  for (const spec of commandTable().values()) {
    if (spec.subcommands?.some((s) => s.name === 'help')) steps.push({ cmd: [spec.name, 'help'], mask: frame });
  }
  await pair.check(t, steps);
  await pair.check(t, steps, { resp: 3 });
});
