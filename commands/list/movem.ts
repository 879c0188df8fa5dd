// LMOVEM and BLMOVEM (Redis 8.10): move several elements from one end of a list to one end of
// another (or the same) list, up to COUNT or EXACTLY n of them, one by one (OBO) or as a block
// (BULK). The reply lists the moved elements as they read in the destination, head to tail.

import { keyOf, keyword } from '../args';
import { ERR } from '../errors';
import type { ArgSpec, Ctx } from '../types';
import { movedElements, type ListEnd } from '../../storage/list';
import { atLeastOrReply, endOrReply, listFill, listOrReply, notifyElementsRemoved } from './common';

/** How many to move and how: no options is one element (like LMOVE, with an array reply). */
export interface MoveManyOptions {
  readonly count: number;
  /** EXACTLY: all `count` or nothing (a blocking client waits for that many). */
  readonly exactly: boolean;
  readonly bulk: boolean;
}

const END: Omit<ArgSpec, 'name'> = {
  type: 'oneof',
  arguments: [
    { name: 'left', type: 'pure-token', token: 'LEFT' },
    { name: 'right', type: 'pure-token', token: 'RIGHT' },
  ],
};

/** COMMAND DOCS arguments of both commands; BLMOVEM has its timeout after the two ends. */
export function moveManyArguments(withTimeout: boolean): ArgSpec[] {
  return [
    { name: 'source', type: 'key', keySpecIndex: 0 },
    { name: 'destination', type: 'key', keySpecIndex: 1 },
    { name: 'wherefrom', ...END },
    { name: 'whereto', ...END },
    ...(withTimeout ? [{ name: 'timeout', type: 'double' } as const] : []),
    {
      name: 'how-many',
      type: 'block',
      optional: true,
      arguments: [
        {
          name: 'selector',
          type: 'oneof',
          arguments: [
            { name: 'count', type: 'integer', token: 'COUNT' },
            { name: 'exactly', type: 'integer', token: 'EXACTLY' },
          ],
        },
        {
          name: 'ordering',
          type: 'oneof',
          arguments: [
            { name: 'obo', type: 'pure-token', token: 'OBO' },
            { name: 'bulk', type: 'pure-token', token: 'BULK' },
          ],
        },
      ],
    },
  ];
}

/**
 * The how-many block at argv[at..]: nothing, or exactly COUNT|EXACTLY n OBO|BULK (n >= 1); a
 * syntax error for anything else, Redis's count error for a bad n. Null after the error reply.
 */
export function moveManyOptionsOrReply(ctx: Ctx, argv: readonly Buffer[], at: number): MoveManyOptions | null {
  if (argv.length === at) return { count: 1, exactly: false, bulk: false };
  const selector = keyword(argv[at]!);
  if (argv.length !== at + 3 || (selector !== 'count' && selector !== 'exactly')) {
    ctx.out.error(ERR.syntax);
    return null;
  }
  const count = atLeastOrReply(ctx.out, argv[at + 1]!, 1, ERR.countNotPositive);
  if (count === null) return null;
  const ordering = keyword(argv[at + 2]!);
  if (ordering !== 'obo' && ordering !== 'bulk') {
    ctx.out.error(ERR.syntax);
    return null;
  }
  return { count, exactly: selector === 'exactly', bulk: ordering === 'bulk' };
}

/** LEFT|RIGHT at argv[3] and argv[4]; null after the syntax error. */
export function endsOrReply(ctx: Ctx, argv: readonly Buffer[]): { whereFrom: ListEnd; whereTo: ListEnd } | null {
  const whereFrom = endOrReply(ctx.out, argv[3]!);
  if (whereFrom === null) return null;
  const whereTo = endOrReply(ctx.out, argv[4]!);
  if (whereTo === null) return null;
  return { whereFrom, whereTo };
}

/**
 * Move now if the source holds enough: true once a reply is written (the moved elements, or
 * WRONGTYPE for either key); false, with nothing written, when the source is missing or holds
 * fewer than EXACTLY asks. The destination's type is checked only once there is something to move.
 */
export function moveManyOrReply(ctx: Ctx, from: string, to: string, whereFrom: ListEnd, whereTo: ListEnd, options: MoveManyOptions): boolean {
  const source = listOrReply(ctx, from, true);
  if (source === null) return true;
  const length = source?.length ?? 0;
  const n = options.exactly ? (length >= options.count ? options.count : 0) : Math.min(options.count, length);
  if (source === undefined || n === 0) return false;
  if (listOrReply(ctx, to, true) === null) return true;
  const popped = whereFrom === 'left' ? source.range(0, n - 1) : source.range(-n, -1).reverse();
  const moved = movedElements(popped, whereFrom, whereTo, options.bulk).destinationOrder;
  ctx.commit({ op: 'lmovem', db: ctx.client.dbIndex, from, to, whereFrom, whereTo, count: n, bulk: options.bulk, fill: listFill(ctx) });
  // Announced as LMOVE announces one element (Redis's documentation names no events of its own):
  // a push on the destination, the reply, a pop on the source, then "del" if it emptied.
  ctx.notify('list', whereTo === 'left' ? 'lpush' : 'rpush', to);
  ctx.out.array(moved.length);
  for (const element of moved) ctx.out.bulk(element);
  notifyElementsRemoved(ctx, from, whereFrom === 'left' ? 'lpop' : 'rpop');
  return true;
}

/** The two keys of either command. */
export function moveManyKeys(argv: readonly Buffer[]): { from: string; to: string } {
  return { from: keyOf(argv[1]!), to: keyOf(argv[2]!) };
}
