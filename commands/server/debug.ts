import { keyword } from '../args';
import { ERR, cString } from '../errors';
import type { CommandSpec, Ctx } from '../types';
import { replyHelp } from '../help';
import { canonicalDump } from '../../storage/dump';
import { createHash } from 'node:crypto';

/** The DEBUG subcommands Sluice has, in Redis's words. */
const HELP_LINES = [
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

export const spec = {
  name: 'debug',
  arity: -2,
  // Protected as well (Redis's CMD_PROTECTED): dispatch refuses it unless enable-debug-command
  // allows this client.
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Commands for testing and debugging the server.',
  since: '1.0.0',
  group: 'server',
  complexity: 'Depends on subcommand.',
  docFlags: ['syscmd'],
  handler(ctx, argv) {
    const sub = keyword(argv[1]!);
    if (sub === 'help' && argv.length === 2) replyHelp(ctx.out, 'DEBUG', HELP_LINES);
    else if (sub === 'sleep' && argv.length === 3) sleep(ctx, argv[2]!);
    else if (sub === 'digest' && argv.length === 2) digest(ctx);
    else if (sub === 'set-active-expire' && argv.length === 3) setActiveExpire(ctx, argv[2]!);
    else ctx.out.error(ERR.subcommandSyntax(cString(argv[1]!), 'DEBUG'));
  },
} satisfies CommandSpec;

/**
 * DEBUG DIGEST: 40 hex digits naming the whole dataset (zeros when it is empty), as Redis answers.
 * Sluice's digest hashes the canonical dump (storage/dump.ts), so it matches another Sluice's, not
 * Redis's; replication tests compare a master and its replicas with it.
 */
function digest(ctx: Ctx): void {
  const dump = canonicalDump(ctx.engine);
  ctx.out.simple(dump === '' ? '0'.repeat(40) : createHash('sha1').update(dump, 'latin1').digest('hex'));
}

/** DEBUG SET-ACTIVE-EXPIRE: any non-zero number (read like C's atoi) turns active expiry back on. */
function setActiveExpire(ctx: Ctx, arg: Buffer): void {
  const value = Number.parseInt(cString(arg), 10);
  ctx.server.activeExpireEnabled = Number.isFinite(value) && value !== 0;
  ctx.out.ok();
}

/** DEBUG SLEEP: the whole server stops, as Redis does. */
function sleep(ctx: Ctx, arg: Buffer): void {
  ctx.server.sleep(strtodSeconds(cString(arg)) * 1000);
  ctx.out.ok();
}

/**
 * Seconds read the way Redis's strtod reads them: the longest leading number, 0 when there is
 * none. Negative or endless values do not sleep at all.
 */
function strtodSeconds(text: string): number {
  const match = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(text);
  const seconds = match === null ? 0 : Number(match[0]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}
