// Pub/Sub: who listens to which channel, pattern or shard channel, and delivery. A message is
// written straight into each receiver's output buffer (as a RESP3 push or a RESP2 array) and the
// receiver is flushed at the end of the turn with its other replies; the output limits
// (server/output-limits.ts) are checked after each delivery, so a subscriber that does not read
// is disconnected before its buffer can grow without bound.
//
// Subscriber sets are insertion-ordered (JS Set and Map), so a message reaches a channel's
// subscribers in the order they subscribed, as Redis's per-channel client lists do.

import type { ChannelKind, ClientApi, PubSubApi, SubscriptionKind } from '../commands/types';
import { globMatch } from '../commands/args';
import { Client } from './client';

// RESET leaves every subscription, silently (Redis's pubsubUnsubscribeAll without notifying).
Client.resetHooks.push((client) => client.server.pubsub.removeClient(client));

/** What one client listens to, by kind; each set in the order the subscriptions were made. */
interface ClientSubscriptions {
  readonly channel: Set<string>;
  readonly pattern: Set<string>;
  readonly shard: Set<string>;
}

const MESSAGE = Buffer.from('message');
const PMESSAGE = Buffer.from('pmessage');
const SMESSAGE = Buffer.from('smessage');

export class PubSub implements PubSubApi {
  /** Subscribers by kind, then by channel or pattern name; an empty set is removed at once. */
  private readonly subscribers: Record<SubscriptionKind, Map<string, Set<Client>>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  /** Every client with at least one subscription. */
  private readonly byClient = new Map<Client, ClientSubscriptions>();

  constructor(
    /** Finds the server's client object behind the ClientApi a handler passes. */
    private readonly clientOf: (client: ClientApi) => Client | undefined,
    /** Called after a message was written to a client's buffer: flush it, enforce its limits. */
    private readonly delivered: (client: Client) => void,
  ) {}

  subscribe(api: ClientApi, kind: SubscriptionKind, name: string): number {
    const client = this.clientOf(api);
    if (client === undefined) return 0;
    let subs = this.byClient.get(client);
    if (subs === undefined) {
      subs = { channel: new Set(), pattern: new Set(), shard: new Set() };
      this.byClient.set(client, subs);
    }
    const own = subs[kind];
    if (!own.has(name)) {
      own.add(name);
      const map = this.subscribers[kind];
      let set = map.get(name);
      if (set === undefined) map.set(name, (set = new Set()));
      set.add(client);
      updateCounters(client, subs);
    }
    return countFor(subs, kind);
  }

  unsubscribe(api: ClientApi, kind: SubscriptionKind, name: string): number {
    const client = this.clientOf(api);
    if (client === undefined) return 0;
    const subs = this.byClient.get(client);
    if (subs === undefined) return 0;
    if (subs[kind].delete(name)) {
      const map = this.subscribers[kind];
      const set = map.get(name);
      if (set !== undefined) {
        set.delete(client);
        if (set.size === 0) map.delete(name);
      }
      updateCounters(client, subs);
      if (subs.channel.size + subs.pattern.size + subs.shard.size === 0) this.byClient.delete(client);
    }
    return countFor(subs, kind);
  }

  subscriptionsOf(api: ClientApi, kind: SubscriptionKind): string[] {
    const client = this.clientOf(api);
    const subs = client === undefined ? undefined : this.byClient.get(client);
    return subs === undefined ? [] : [...subs[kind]];
  }

  countOf(api: ClientApi, kind: SubscriptionKind): number {
    const client = this.clientOf(api);
    const subs = client === undefined ? undefined : this.byClient.get(client);
    return subs === undefined ? 0 : countFor(subs, kind);
  }

  /** Leave every subscription at once, silently (connection closed, RESET). */
  removeClient(client: Client): void {
    const subs = this.byClient.get(client);
    if (subs === undefined) return;
    for (const kind of ['channel', 'pattern', 'shard'] as const) {
      const map = this.subscribers[kind];
      for (const name of subs[kind]) {
        const set = map.get(name);
        if (set === undefined) continue;
        set.delete(client);
        if (set.size === 0) map.delete(name);
      }
      subs[kind].clear();
    }
    this.byClient.delete(client);
    updateCounters(client, subs);
  }

  publish(kind: ChannelKind, channel: string, message: string | Buffer): number {
    let receivers = 0;
    const direct = this.subscribers[kind].get(channel);
    if (direct !== undefined) {
      // A receiver may be disconnected by its output limit during delivery: iterate over a copy.
      for (const client of [...direct]) {
        writeMessage(client, kind === 'shard' ? SMESSAGE : MESSAGE, channel, message);
        receivers++;
        this.delivered(client);
      }
    }
    if (kind === 'shard' || this.subscribers.pattern.size === 0) return receivers;
    for (const [pattern, clients] of [...this.subscribers.pattern]) {
      if (!globMatch(pattern, channel)) continue;
      for (const client of [...clients]) {
        writePatternMessage(client, pattern, channel, message);
        receivers++;
        this.delivered(client);
      }
    }
    return receivers;
  }

  /** Whether anyone could receive a message on a channel (keyspace notifications skip work otherwise). */
  get listening(): boolean {
    return this.subscribers.channel.size > 0 || this.subscribers.pattern.size > 0;
  }

  activeChannels(kind: ChannelKind, pattern: string | null): string[] {
    const names = [...this.subscribers[kind].keys()];
    return pattern === null ? names : names.filter((name) => globMatch(pattern, name));
  }

  subscriberCount(kind: ChannelKind, channel: string): number {
    return this.subscribers[kind].get(channel)?.size ?? 0;
  }

  patternCount(): number {
    return this.subscribers.pattern.size;
  }

  /** INFO stats: pubsub_channels, pubsub_patterns, pubsubshard_channels. */
  get channelCount(): number {
    return this.subscribers.channel.size;
  }

  get shardChannelCount(): number {
    return this.subscribers.shard.size;
  }
}

/** The subscription count Redis replies with: channels and patterns together, shard channels apart. */
function countFor(subs: ClientSubscriptions, kind: SubscriptionKind): number {
  return kind === 'shard' ? subs.shard.size : subs.channel.size + subs.pattern.size;
}

/** CLIENT LIST's sub=, psub=, ssub= (and flag P) read these fields. */
function updateCounters(client: Client, subs: ClientSubscriptions): void {
  client.subscriptions = subs.channel.size;
  client.patternSubscriptions = subs.pattern.size;
  client.shardSubscriptions = subs.shard.size;
}

/** Messages are pushes: CLIENT REPLY OFF/SKIP do not hold them back (writer.keepAsPush). */
function writeMessage(client: Client, type: Buffer, channel: string, message: string | Buffer): void {
  const out = client.out;
  const start = out.mark();
  out.push(3);
  out.bulk(type);
  out.bulk(channel);
  out.bulk(message);
  out.keepAsPush(start);
}

function writePatternMessage(client: Client, pattern: string, channel: string, message: string | Buffer): void {
  const out = client.out;
  const start = out.mark();
  out.push(4);
  out.bulk(PMESSAGE);
  out.bulk(pattern);
  out.bulk(channel);
  out.bulk(message);
  out.keepAsPush(start);
}
