// COMMAND GETKEYS / GETKEYSANDFLAGS key extraction, checked against real Redis for every shape of key
// spec Redis has (index/keyword begin-search, range/keynum find-keys, incomplete and variable-flags
// specs with their native fallbacks), independently of which commands Sluice implements today: the
// specs are Redis's own, read from its COMMAND INFO, and run through Sluice's extraction in-process.

import t from 'tap';
import { writeGetKeysReply } from '../../commands/server/command/getkeys';
import type { CommandSpec } from '../../commands/types';
import { ReplyWriter } from '../../server/resp/writer';
import { redisSkip } from '../support/differential';
import { RawClient } from '../support/resp';
import { startRedis } from '../support/servers';
import { parseInfoEntry, specFromInfo } from './command-info';
import { decodeReply, items } from './resp-value';

/** Command lines (argv after COMMAND GETKEYS) covering every extraction path. */
const LINES: readonly string[][] = [
  // index + range, fixed and variable arity
  ['get', 'k'],
  ['GET', 'k'],
  ['get', 'k', 'x'],
  ['mget', 'a', 'b', 'c'],
  ['mset', 'a', '1', 'b', '2'],
  ['mset', 'a', '1', 'b'],
  ['del', 'a', 'b', 'c'],
  ['rename', 'a', 'b'],
  ['copy', 'a', 'b', 'db', '1'],
  ['lmove', 'a', 'b', 'left', 'right'],
  ['blpop', 'a', 'b', '0'],
  ['brpoplpush', 'a', 'b', '0'],
  ['bitop', 'and', 'd', 'a', 'b'],
  ['smove', 'a', 'b', 'm'],
  ['sinterstore', 'd', 'a', 'b'],
  ['pfcount', 'a', 'b'],
  ['watch', 'a', 'b'],
  ['lcs', 'a', 'b'],
  ['restore', 'k', '0', 'v'],
  ['object', 'encoding', 'k'],
  ['memory', 'usage', 'k'],
  ['xinfo', 'stream', 'k'],
  ['xgroup', 'create', 'k', 'g', '$'],
  ['xautoclaim', 'k', 'g', 'c', '0', '0'],
  // keynum, valid and not (native fallbacks take over)
  ['zunionstore', 'd', '2', 'a', 'b'],
  ['zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'],
  ['zunionstore', 'd', '0', 'a'],
  ['zunionstore', 'd', 'x', 'a'],
  ['zunionstore', 'd', '2', 'a'],
  ['zunionstore', 'd', '-1', 'a', 'b'],
  ['zunionstore', 'd', '1abc', 'a'],
  ['zinterstore', 'd', '1', 'a'],
  ['zdiffstore', 'd', '1', 'a'],
  ['zunion', '2', 'a', 'b'],
  ['zunion', '3', 'a', 'b'],
  ['zinter', '1', 'a'],
  ['zdiff', '2', 'a', 'b'],
  ['zintercard', '1', 'a'],
  ['sintercard', '2', 'a', 'b', 'LIMIT', '1'],
  ['sintercard', '3', 'a', 'b'],
  ['eval', 's', '0'],
  ['eval', 's', '2', 'a', 'b', 'c'],
  ['eval', 's', 'x'],
  ['eval', 's', '-1', 'a'],
  ['eval', 's', '3', 'a'],
  ['evalsha_ro', 's', '1', 'a'],
  ['fcall', 'f', '1', 'k'],
  ['fcall_ro', 'f', '0'],
  ['lmpop', '2', 'a', 'b', 'LEFT'],
  ['lmpop', '5', 'a', 'b', 'LEFT'],
  ['blmpop', '0', '2', 'a', 'b', 'LEFT'],
  ['zmpop', '1', 'a', 'MIN'],
  ['bzmpop', '1', '1', 'a', 'MIN'],
  // keyword begin-search
  ['xread', 'streams', 'a', 'b', '1', '2'],
  ['xread', 'count', '1', 'block', '0', 'streams', 'a', '1'],
  ['xread', 'streams', 'a', 'b', '1'],
  ['xread', 'streams', 'a', 'b', 'c', '1', '2', '3'],
  ['xreadgroup', 'group', 'g', 'c', 'streams', 'a', 'b', '1', '2'],
  ['xreadgroup', 'group', 'g', 'c', 'noack', 'streams', 'a', '1'],
  ['xreadgroup', 'group', 'streams', 'c', 'streams', 'a', '1'],
  ['georadius', 'k', '1', '2', '3', 'm', 'store', 'd'],
  ['georadius', 'k', '1', '2', '3', 'm', 'storedist', 'd'],
  ['georadius', 'k', '1', '2', '3', 'm', 'STORE', 'd', 'STOREDIST', 'e'],
  ['georadius', 'k', '1', '2', '3', 'm'],
  ['georadius', 'k', '1', '2', '3', 'm', 'store'],
  ['georadiusbymember', 'k', 'm', '3', 'm', 'store', 'd'],
  ['georadius_ro', 'k', '1', '2', '3', 'm'],
  ['migrate', 'h', 'p', 'k', '0', '5'],
  ['migrate', 'h', 'p', '', '0', '5', 'keys', 'a', 'b'],
  ['migrate', 'h', 'p', 'k', '0', '5', 'keys', 'a', 'b'],
  ['migrate', 'h', 'p', '', '0', '5', 'auth', 'pw', 'keys', 'a'],
  ['migrate', 'h', 'p', '', '0', '5', 'auth2', 'u', 'keys', 'copy', 'replace', 'keys', 'a', 'b', 'c'],
  // unknown specs (native only)
  ['sort', 'k'],
  ['sort', 'k', 'store', 'd'],
  ['sort', 'k', 'by', 'x', 'store', 'd', 'limit', '0', '1', 'store', 'e'],
  ['sort', 'k', 'get', 'store', 'x'],
  ['sort', 'k', 'store'],
  ['sort_ro', 'k', 'by', 'x'],
  // variable flags (native decides the flags)
  ['set', 'k', 'v'],
  ['set', 'k', 'v', 'get'],
  ['set', 'k', 'v', 'EX', '10', 'GET'],
  ['set', 'k', 'get'],
  ['bitfield', 'k', 'get', 'u8', '0'],
  ['bitfield', 'k', 'set', 'u8', '0', '1'],
  ['bitfield', 'k', 'get', 'u8', '0', 'incrby', 'u8', '0', '1'],
  ['bitfield', 'k', 'overflow', 'wrap', 'get', 'u8', '0'],
  ['bitfield', 'k', 'foo'],
  ['bitfield', 'k'],
  ['bitfield_ro', 'k', 'get', 'u8', '0'],
  // no keys at all, or only not_key specs
  ['ping', 'x'],
  ['client', 'kill', 'x'],
  ['client', 'list'],
  ['ssubscribe', 'c'],
  ['spublish', 'c', 'm'],
  ['publish', 'c', 'm'],
  ['config', 'get', 'x'],
  // unknown commands and subcommands
  ['nosuch', 'x'],
  ['client', 'nosuch'],
  ['get|x', 'a'],
  ['', 'a'],
];

/** Redis's commands as Sluice specs, with a resolver mirroring Redis's lookupCommand. */
async function redisSpecs(client: RawClient): Promise<Map<string, CommandSpec>> {
  const specs = new Map<string, CommandSpec>();
  for (const entry of items(decodeReply(await client.call('COMMAND')))) {
    const spec = specFromInfo(parseInfoEntry(entry));
    specs.set(spec.name, spec);
  }
  return specs;
}

function resolve(specs: Map<string, CommandSpec>, line: readonly Buffer[]): { spec: CommandSpec; fullName: string } | null {
  const base = specs.get(line[0]!.toString('latin1').toLowerCase());
  if (base === undefined) return null;
  if (line.length === 1 || base.subcommands === undefined) return { spec: base, fullName: base.name };
  const name = line[1]!.toString('latin1').toLowerCase();
  const sub = base.subcommands.find((s) => s.name === name);
  return sub === undefined ? null : { spec: sub, fullName: `${base.name}|${sub.name}` };
}

function ours(specs: Map<string, CommandSpec>, line: string[], withFlags: boolean, resp: 2 | 3): string {
  const out = new ReplyWriter();
  out.resp = resp;
  const argv = line.map((a) => Buffer.from(a, 'latin1'));
  writeGetKeysReply(out, resolve(specs, argv), argv, withFlags);
  return (out.take() ?? Buffer.alloc(0)).toString('latin1');
}

t.test('GETKEYS and GETKEYSANDFLAGS extract keys like Redis for every key-spec shape', { skip: redisSkip }, async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const client = await RawClient.connect(redis.port);
  t.teardown(() => client.close());
  const specs = await redisSpecs(client);
  t.ok(specs.size > 200, 'read Redis command table');

  for (const resp of [2, 3] as const) {
    await client.call('HELLO', String(resp));
    for (const line of LINES) {
      for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
        const expected = (await client.call('COMMAND', sub, ...line)).toString('latin1');
        const actual = ours(specs, line, sub === 'GETKEYSANDFLAGS', resp);
        t.equal(actual, expected, `RESP${resp} COMMAND ${sub} ${line.map((a) => (a === '' ? '""' : a)).join(' ')}`);
      }
    }
  }
});

t.test('a command line of one word follows Redis 7.2 (GETKEYS arity -3)', async (t) => {
  // Redis 7.0 declares COMMAND GETKEYS with arity -4 and so answers these with an arity error; 7.2
  // accepts them and reports on the named command. These are checked against 7.2's texts.
  const get: CommandSpec = {
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['read', 'string', 'fast'],
    keys: [1, 1, 1],
    keySpecs: [{ flags: ['RO', 'ACCESS'], beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: 0, step: 1, limit: 0 } }],
    summary: '',
    since: '',
    group: 'string',
  };
  const ping: CommandSpec = { name: 'ping', arity: -1, flags: ['fast'], acl: ['fast'], keys: [0, 0, 0], summary: '', since: '', group: 'connection' };
  const specs = new Map([
    ['get', get],
    ['ping', ping],
  ]);
  t.equal(ours(specs, ['get'], false, 2), '-ERR Invalid number of arguments specified for command\r\n');
  t.equal(ours(specs, ['ping'], false, 2), '-ERR The command has no key arguments\r\n');
  t.equal(ours(specs, ['nosuch'], false, 2), '-ERR Invalid command specified\r\n');
  // A spec without key specs falls back to its legacy positions.
  const legacy: CommandSpec = { ...get, name: 'legacy', arity: -2, keySpecs: undefined, keys: [1, -1, 2] };
  specs.set('legacy', legacy);
  t.equal(ours(specs, ['legacy', 'a', '1', 'b', '2'], true, 3), '*2\r\n*2\r\n$1\r\na\r\n~0\r\n*2\r\n$1\r\nb\r\n~0\r\n');
  t.equal(ours(specs, ['legacy', 'a', '1', 'b'], false, 2), '*2\r\n$1\r\na\r\n$1\r\nb\r\n');
});
