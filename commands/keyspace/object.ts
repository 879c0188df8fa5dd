// OBJECT: what Redis would say about a key's value object. Sluice stores values its own way, so the
// answers are those Redis would give for the same history (see storage/encoding.ts): the encoding
// tryObjectEncoding would pick, the refcount of shared small integers, the access time and LFU
// counter kept on every access.

import { ERR } from '../errors';
import { replyHelp } from '../help';
import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { Ctx, CommandSpec } from '../types';
import { encodingOf, isSharedInteger, refcountOf } from '../../storage/encoding';
import type { KeyEntry } from '../../storage/keyspace';
import { lfuCounter } from '../../storage/lfu';
import { lfuPolicy, peekKey, sharedIntegers } from './common';

const HELP = [
    'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

/** The entry at argv[2], looked up as Redis's OBJECT does (no touch; hits and misses counted), or a null reply. */
function entryOrNull(ctx: Ctx, argv: readonly Buffer[]): KeyEntry | undefined {
  const entry = peekKey(ctx, keyOf(argv[2]!), ctx.client.dbIndex, false);
  if (entry === undefined) ctx.out.nullBulk();
  return entry;
}

/** The access data Redis keeps on the value object: the shared integer's when the value is one. */
function accessData(ctx: Ctx, entry: KeyEntry): { accessSec: number; lfu: number } {
  if (isSharedInteger(entry.value, entry.raw || entry.plain, sharedIntegers(ctx))) return ctx.engine.sharedAccessOf(entry.value);
  return entry;
}

function keySubcommand(name: string, summary: string, since: string, handler: CommandSpec['handler']): CommandSpec {
  return {
    name,
    arity: 3,
    flags: ['readonly'],
    acl: ['keyspace', 'read', 'slow'],
    keys: [2, 2, 1],
    keySpecs: [keysAt(2, ['RO'])],
    summary,
    since,
    group: 'generic',
    complexity: 'O(1)',
    arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
    tips: ['nondeterministic_output'],
    handler,
  };
}

export const spec = {
  name: 'object',
  arity: -2,
  flags: [],
  acl: ['slow'],
  keys: [0, 0, 0],
  summary: 'Container for the commands that inspect how a key\'s value is held.',
  since: '2.2.3',
  group: 'generic',
  complexity: 'Depends on subcommand.',
  subcommands: [
    keySubcommand('encoding', 'Names the internal representation of a key\'s value.', '2.2.3', (ctx, argv) => {
      const entry = entryOrNull(ctx, argv);
      if (entry !== undefined) ctx.out.bulk(encodingOf(entry));
    }),
    keySubcommand('freq', 'Replies with the logarithmic access-frequency counter of a key.', '4.0.0', (ctx, argv) => {
      const entry = entryOrNull(ctx, argv);
      if (entry === undefined) return;
      if (!lfuPolicy(ctx)) {
        ctx.out.error(ERR.lfuNotSelected);
        return;
      }
      ctx.out.integer(lfuCounter(accessData(ctx, entry).lfu, ctx.nowMs, ctx.engine.lfuTuning));
    }),
    keySubcommand('idletime', 'Replies with the seconds since a key was last read or written.', '2.2.3', (ctx, argv) => {
      const entry = entryOrNull(ctx, argv);
      if (entry === undefined) return;
      if (lfuPolicy(ctx)) {
        ctx.out.error(ERR.lfuSelected);
        return;
      }
      ctx.out.integer(Math.max(0, Math.floor(ctx.nowMs / 1000) - accessData(ctx, entry).accessSec));
    }),
    keySubcommand('refcount', 'Replies with how many references the value of a key has.', '2.2.3', (ctx, argv) => {
      const entry = entryOrNull(ctx, argv);
      if (entry !== undefined) ctx.out.integer(refcountOf(entry, sharedIntegers(ctx)));
    }),
    {
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      acl: ['keyspace', 'slow'],
      keys: [0, 0, 0],
      summary: 'Lists the OBJECT subcommands.',
      since: '6.2.0',
      group: 'generic',
      complexity: 'O(1)',
      handler(ctx) {
        replyHelp(ctx.out, 'OBJECT', HELP);
      },
    },
  ],
} satisfies CommandSpec;
