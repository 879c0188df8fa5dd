// What SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBE counterparts share: each name gets
// its own confirmation, a push of [kind, name, count], count being what the client listens to
// afterwards (channels and patterns together; shard channels apart), as Redis replies.

import { keyOf } from '../args';
import type { Ctx, SubscriptionKind } from '../types';

/** The confirmation names Redis uses, per kind. */
const CONFIRMATIONS: Readonly<Record<SubscriptionKind, readonly [subscribe: string, unsubscribe: string]>> = {
  channel: ['subscribe', 'unsubscribe'],
  pattern: ['psubscribe', 'punsubscribe'],
  shard: ['ssubscribe', 'sunsubscribe'],
};

export function subscribeEach(ctx: Ctx, argv: readonly Buffer[], kind: SubscriptionKind): void {
  for (let i = 1; i < argv.length; i++) {
    const name = keyOf(argv[i]!);
    const count = ctx.server.pubsub.subscribe(ctx.client, kind, name);
    confirm(ctx, CONFIRMATIONS[kind][0], name, count);
  }
}

/** Unsubscribe from the names given, or from every subscription of the kind when none is. */
export function unsubscribeEach(ctx: Ctx, argv: readonly Buffer[], kind: SubscriptionKind): void {
  const pubsub = ctx.server.pubsub;
  const names = argv.length > 1 ? argv.slice(1).map(keyOf) : pubsub.subscriptionsOf(ctx.client, kind);
  // Nothing to leave: Redis still confirms, with a null name.
  if (names.length === 0) confirm(ctx, CONFIRMATIONS[kind][1], null, pubsub.countOf(ctx.client, kind));
  for (const name of names) confirm(ctx, CONFIRMATIONS[kind][1], name, pubsub.unsubscribe(ctx.client, kind, name));
}

/** A confirmation is a push: it is sent even under CLIENT REPLY OFF/SKIP, as in Redis. */
function confirm(ctx: Ctx, what: string, name: string | null, count: number): void {
  const start = ctx.out.mark();
  ctx.out.push(3);
  ctx.out.bulk(what);
  if (name === null) ctx.out.nullBulk();
  else ctx.out.bulk(name);
  ctx.out.integer(count);
  ctx.out.keepAsPush(start);
}

/** Whether the client is in subscriber mode (Redis's CLIENT_PUBSUB): any subscription of any kind. */
export function isSubscriber(ctx: Ctx): boolean {
  const pubsub = ctx.server.pubsub;
  return pubsub.countOf(ctx.client, 'channel') + pubsub.countOf(ctx.client, 'shard') > 0;
}
