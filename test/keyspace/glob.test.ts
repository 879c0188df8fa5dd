// Glob patterns (commands/args.ts globMatch, Redis's stringmatchlen) against real Redis, table-driven:
// every pattern below against every string below, through KEYS (keys), PSUBSCRIBE (channels) and
// CONFIG GET (names, matched without case). The edges are the point: the empty string, escapes,
// negated and unterminated classes, "[a-]", reversed ranges, bytes from 0x80 up (C's signed chars
// in ranges), a trailing backslash, and case folding in and out of classes.
//
// A pure table follows, so the edges stay pinned where redis-server is not installed.

import t from 'tap';
import { globMatch } from '../../commands/args';
import { DiffPair, redisSkip } from '../support/differential';
import { RawClient } from '../support/resp';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** Strings matched against: keys in one database, channels published to. */
const STRINGS = [
  '', 'a', 'b', 'A', 'Z', 'ab', 'abc', 'aXc', 'a*', '*', '?', '[', ']', '\\', '-', '^', '_', '`', '!',
  'a-', 'a]', 'a\\', 'a\\b', '[a]', 'x', 'hello', 'hallo', 'hxllo', 'hllo', 'heeeello', 'h\\llo',
  'foo.bar', '\x80', '\xff', '\xe9', 'a\xe9', '\x00', 'a\x00b',
];

/** Patterns: each is checked against every string. */
const PATTERNS = [
  '', '*', '**', '***', '?', '??', '*?', '?*', 'a*', '*a', '*a*', 'a**', 'a?', 'a*c', 'a*?c',
  'h?llo', 'h*llo', 'h*l*o', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'h[b-a]llo', 'h[a-]llo',
  '[a-]', '[a-]*', '[-a]', '[a-c-e]', '[]]', '[]', '[', '[a', '[abc', '[^a]', '[^]', '[^', '[^a-]',
  '[z-a]', '[a-z', '[!a]', '[*]', '[?]', '[\\]]', '[\\-]', '[\\', '[a\\', '[\\a]', '[a-\xff]',
  '[\x80-\xff]', '[\x00-a]', '[^\x80-\xff]', '\\', '\\\\', '\\*', '\\?', '\\[', '\\a', 'a\\', 'a\\*',
  '*\\', 'a\\\\b', '*[', '[[]', '*\xe9', '?\xe9', '[\xe9]', 'a\x00b', '*\x00*', 'A', '[A-Z]', '[a-z]',
];

/** Decode a RESP2 array of bulk strings (KEYS, CONFIG GET, a pmessage) into latin1 strings. */
function bulks(reply: Buffer): string[] {
  const text = reply.toString('latin1');
  const out: string[] = [];
  let at = text.indexOf('\r\n') + 2;
  while (at < text.length) {
    const end = text.indexOf('\r\n', at);
    if (text[at] !== '$') throw new Error(`not a bulk at ${at}: ${JSON.stringify(text.slice(at, at + 20))}`);
    const len = Number(text.slice(at + 1, end));
    out.push(text.slice(end + 2, end + 2 + len));
    at = end + 2 + len + 2;
  }
  return out;
}

const show = (s: string) => JSON.stringify(s);

/** pattern -> sorted strings it matched, over KEYS. */
async function keysTable(port: number): Promise<Map<string, string[]>> {
  const client = await RawClient.connect(port);
  try {
    await client.call('FLUSHALL');
    for (const key of STRINGS) await client.call('SET', latin1(key), 'v');
    const table = new Map<string, string[]>();
    for (const pattern of PATTERNS) table.set(pattern, bulks(await client.call('KEYS', latin1(pattern))).sort());
    return table;
  } finally {
    client.close();
  }
}

/** channel -> sorted patterns whose subscription received a message published there. */
async function psubscribeTable(port: number): Promise<Map<string, string[]>> {
  const [subscriber, publisher] = await Promise.all([RawClient.connect(port), RawClient.connect(port)]);
  try {
    await subscriber.call('PSUBSCRIBE', ...PATTERNS.map(latin1));
    for (let i = 1; i < PATTERNS.length; i++) await subscriber.readReply();
    const table = new Map<string, string[]>();
    for (const channel of STRINGS) {
      const receivers = Number(/^:(\d+)/.exec((await publisher.call('PUBLISH', latin1(channel), 'm')).toString('latin1'))![1]);
      const matched: string[] = [];
      for (let i = 0; i < receivers; i++) {
        const [kind, pattern, to] = bulks(await subscriber.readReply());
        if (kind !== 'pmessage' || to !== channel) throw new Error(`unexpected ${kind} for ${show(to ?? '')}`);
        matched.push(pattern!);
      }
      table.set(channel, matched.sort());
    }
    return table;
  } finally {
    subscriber.close();
    publisher.close();
  }
}

/** Patterns for CONFIG GET, which matches names without case. */
const NOCASE_PATTERNS = [
  'MAXMEMORY', 'MaxMemory*', '[M]axmemory', '[\\M]axmemory', '[\\m]axmemory', '[L-N]AXMEMORY', '[l-n]axmemory',
  '[N-L]axmemory*', '[^M]axmemory*', '[^m]axmemory*', 'max?EMORY', '*-POLICY', '\\Maxmemory', '[A-Z][A-Z]',
  'h[Z-a]', '*[_]*',
];

/** pattern -> sorted config names CONFIG GET returns, among `names`. */
async function configTable(port: number, names: Set<string>): Promise<Map<string, string[]>> {
  const client = await RawClient.connect(port);
  try {
    const table = new Map<string, string[]>();
    for (const pattern of NOCASE_PATTERNS) {
      const got = bulks(await client.call('CONFIG', 'GET', pattern)).filter((_, i) => i % 2 === 0);
      table.set(pattern, got.filter((name) => names.has(name)).sort());
    }
    return table;
  } finally {
    client.close();
  }
}

t.test('glob patterns match as Redis matches them: KEYS, PSUBSCRIBE, CONFIG GET', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());

  const [redisKeys, sluiceKeys] = await Promise.all([keysTable(pair.redis.port), keysTable(pair.sluice.port)]);
  for (const pattern of PATTERNS) t.same(sluiceKeys.get(pattern), redisKeys.get(pattern), `KEYS ${show(pattern)}`);

  const [redisChannels, sluiceChannels] = await Promise.all([psubscribeTable(pair.redis.port), psubscribeTable(pair.sluice.port)]);
  for (const channel of STRINGS) t.same(sluiceChannels.get(channel), redisChannels.get(channel), `PUBLISH ${show(channel)} reaches the same patterns`);

  // Names both servers have: Sluice knows fewer directives than Redis.
  const sluiceClient = await RawClient.connect(pair.sluice.port);
  const names = new Set(bulks(await sluiceClient.call('CONFIG', 'GET', '*')).filter((_, i) => i % 2 === 0));
  sluiceClient.close();
  const [redisConfig, sluiceConfig] = await Promise.all([configTable(pair.redis.port, names), configTable(pair.sluice.port, names)]);
  for (const pattern of NOCASE_PATTERNS) t.same(sluiceConfig.get(pattern), redisConfig.get(pattern), `CONFIG GET ${show(pattern)}`);
});

t.test('glob edges, pinned (the results Redis gives)', async (t) => {
  const cases: Array<[pattern: string, text: string, expected: boolean, nocase?: boolean]> = [
    ['', '', true],
    ['*', '', false],
    ['**', '', false],
    ['?', '', false],
    ['*', 'a', true],
    ['a*', 'a', true],
    ['a**', 'a', true],
    ['*a', 'a', true],
    ['a*c', 'abbbc', true],
    ['[a-]', 'a', true],
    ['[a-]', ']', true],
    ['[a-]', '^', true],
    ['[a-]', '-', false],
    ['[-a]', '-', true],
    ['[]]', ']', false],
    ['[]', '', false],
    ['[abc', 'b', true],
    ['[', 'x', false],
    ['[^a]', 'a', false],
    ['[^a]', 'b', true],
    ['[^', 'x', true],
    ['[z-a]', 'm', true],
    ['[a-\xff]', 'b', false],
    ['[a-\xff]', 'A', true],
    ['[\x80-\xff]', '\xe9', true],
    ['[\x80-\xff]', 'a', false],
    ['\\', '\\', true],
    ['a\\', 'a\\', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['[\\]]', ']', true],
    ['[\\', '\\', true],
    ['*\x00*', 'a\x00b', true],
    ['MAXMEMORY', 'maxmemory', true, true],
    ['[\\M]axmemory', 'maxmemory', false, true],
    ['[M]axmemory', 'maxmemory', true, true],
    ['[L-N]axmemory', 'maxmemory', true, true],
    ['\xc9', '\xe9', false, true],
  ];
  for (const [pattern, text, expected, nocase] of cases) {
    t.equal(globMatch(pattern, text, nocase ?? false), expected, `${show(pattern)} ${expected ? 'matches' : 'does not match'} ${show(text)}${nocase ? ' (nocase)' : ''}`);
  }
  // Redis's skipLongerMatches: without it this search is exponential and the test would never end.
  t.equal(globMatch('*a'.repeat(30) + 'b', 'a'.repeat(60)), false, 'many stars and no match');
});
