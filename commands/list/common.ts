// What the list commands share: reading a key as a list (WRONGTYPE otherwise), the fill their
// effects carry, and Redis's LEFT|RIGHT and count arguments.

import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import { readKey, writeKey } from '../lookup';
import type { Ctx, Reply } from '../types';
import { RedisList, type ListEnd } from '../../storage/list';

/** list-max-listpack-size now: effects carry it, so replaying them builds the same nodes. */
export function listFill(ctx: Ctx): number {
  return ctx.server.configApi.int('list-max-listpack-size');
}

/** The list at a key: undefined when missing, null after a WRONGTYPE reply. `write` skips hit/miss counting. */
export function listOrReply(ctx: Ctx, key: string, write: boolean): RedisList | undefined | null {
  const entry = write ? writeKey(ctx, key) : readKey(ctx, key);
  if (entry === undefined) return undefined;
  if (!(entry.value instanceof RedisList)) {
    ctx.out.error(ERR.wrongType);
    return null;
  }
  return entry.value;
}

/** LEFT or RIGHT (any case), or a syntax error. */
export function endOrReply(out: Reply, arg: Buffer): ListEnd | null {
  const word = keyword(arg);
  if (word === 'left' || word === 'right') return word;
  out.error(ERR.syntax);
  return null;
}

/**
 * Redis's getRangeLongFromObjectOrReply(min, LONG_MAX, msg): an integer >= min, or `message` for
 * anything else (not an integer, or out of range).
 */
export function atLeastOrReply(out: Reply, arg: Buffer, min: number, message: string): number | null {
  const value = parseInt64(arg.toString('latin1'));
  if (value === null || value < min) {
    out.error(message);
    return null;
  }
  return typeof value === 'bigint' ? Number.MAX_SAFE_INTEGER : value;
}

/** Reply with elements as an array of bulk strings. */
export function replyElements(out: Reply, elements: readonly string[]): void {
  out.array(elements.length);
  for (const element of elements) out.bulk(element);
}

/** A 64-bit integer argument as a JS number (values beyond 2^53 rounded: they only clamp), or the error. */
export function longOrReply(out: Reply, arg: Buffer, message: string = ERR.notInteger): number | null {
  const value = parseInt64(arg.toString('latin1'));
  if (value === null) {
    out.error(message);
    return null;
  }
  return Number(value);
}

/** LMOVE and RPOPLPUSH: Redis's lmoveGenericCommand (source checked, then destination). */
export function lmove(ctx: Ctx, from: string, to: string, whereFrom: ListEnd, whereTo: ListEnd): void {
  const source = listOrReply(ctx, from, true);
  if (source === null) return;
  if (source === undefined || source.length === 0) {
    ctx.out.nullBulk();
    return;
  }
  if (listOrReply(ctx, to, true) === null) return;
  const element = source.index(whereFrom === 'left' ? 0 : -1)!;
  ctx.commit({ op: 'lmove', db: ctx.client.dbIndex, from, to, whereFrom, whereTo, fill: listFill(ctx) });
  // Announced as Redis does: a push on the destination, the reply, then a pop on the source.
  ctx.notify('list', whereTo === 'left' ? 'lpush' : 'rpush', to);
  ctx.out.bulk(element);
  notifyElementsRemoved(ctx, from, whereFrom === 'left' ? 'lpop' : 'rpop');
}

/**
 * After elements left a list (pops, LREM, LTRIM): the command's event, then "del" when the list
 * emptied and was deleted (Redis's listElementsRemoved).
 */
export function notifyElementsRemoved(ctx: Ctx, key: string, event: string): void {
  ctx.notify('list', event, key);
  if (!ctx.engine.dbs[ctx.client.dbIndex]!.entries.has(key)) ctx.notify('generic', 'del', key);
}
