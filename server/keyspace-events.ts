// Keyspace notifications (notify-keyspace-events): Redis's notifyKeyspaceEvent. An event of an
// enabled class is published on __keyspace@<db>__:<key> (message: the event) when K is set and on
// __keyevent@<db>__:<event> (message: the key) when E is set, through ordinary Pub/Sub.
//
// Handlers announce their own events (Ctx.notify). Two kinds are announced here for every command
// at once: 'new' when a write creates a key (Redis's dbAdd), and 'expired' when lazy or active
// expiry removes one.

import type { KeyspaceEventClass } from '../commands/types';
import type { Effect } from '../storage/effects';
import type { Engine } from '../storage/engine';
import type { PubSub } from './pubsub';

/** The letter notify-keyspace-events uses for each class. */
const CLASS_LETTERS: Readonly<Record<KeyspaceEventClass, string>> = {
  generic: 'g',
  string: '$',
  list: 'l',
  set: 's',
  hash: 'h',
  zset: 'z',
  expired: 'x',
  evicted: 'e',
  stream: 't',
  keyMiss: 'm',
  module: 'd',
  new: 'n',
};

/** What 'A' stands for (every class but key-miss and new-key events), as in Redis. */
const ALL_LETTERS = 'g$lshzxetd';

export class KeyspaceEvents {
  /** Enabled classes; empty when neither K nor E is set (then nothing is ever published). */
  private enabled = new Set<KeyspaceEventClass>();
  private keyspaceChannels = false;
  private keyeventChannels = false;

  constructor(
    private readonly pubsub: PubSub,
    private readonly engine: Engine,
  ) {}

  /** Take a notify-keyspace-events value (its letters, 'A' standing for every class but m and n). */
  configure(flags: string): void {
    const letters = flags.replace('A', ALL_LETTERS);
    this.keyspaceChannels = letters.includes('K');
    this.keyeventChannels = letters.includes('E');
    this.enabled = new Set();
    if (!this.keyspaceChannels && !this.keyeventChannels) return;
    for (const [klass, letter] of Object.entries(CLASS_LETTERS) as Array<[KeyspaceEventClass, string]>) {
      if (letters.includes(letter)) this.enabled.add(klass);
    }
  }

  /** Whether events of a class would be published (and anyone could hear them). */
  wants(klass: KeyspaceEventClass): boolean {
    return this.enabled.has(klass) && this.pubsub.listening;
  }

  notify(klass: KeyspaceEventClass, event: string, key: string, db: number): void {
    if (!this.wants(klass)) return;
    if (this.keyspaceChannels) this.pubsub.publish('channel', `__keyspace@${db}__:${key}`, event);
    if (this.keyeventChannels) this.pubsub.publish('channel', `__keyevent@${db}__:${event}`, key);
  }

  /**
   * Apply a handler's effect, announcing the keys it creates ('new', Redis's dbAdd) before the
   * handler announces its own event. Any effect naming a key (`key`, or `to` in `toDb`) that was
   * missing before and exists after created it, whatever its family; RENAME, COPY and MOVE create
   * their destination even when it existed (Redis deletes the replaced key, then adds).
   */
  commitAnnouncingNewKeys(effect: Effect, commit: (effect: Effect) => void): void {
    if (!this.wants('new')) {
      commit(effect);
      return;
    }
    const candidates = targetKeys(effect).filter(([db, key]) => REPLACING_OPS.has(effect.op) || !this.engine.dbs[db]!.entries.has(key));
    commit(effect);
    for (const [db, key] of candidates) {
      if (this.engine.dbs[db]!.entries.has(key)) this.notify('new', 'new', key, db);
    }
  }

  /** After an effect is applied: expiry removals become 'expired' events. */
  afterCommit(effect: Effect): void {
    if (effect.op !== 'del' || effect.expired !== true || !this.wants('expired')) return;
    for (const key of effect.keys) this.notify('expired', 'expired', key, effect.db);
  }
}

/** Effects that re-create their destination even when it exists. */
const REPLACING_OPS = new Set<string>(['rename', 'copy', 'move']);

/** The keys an effect writes to: [db, key]. */
function targetKeys(effect: Effect): Array<[number, string]> {
  const fields = effect as { readonly db?: number; readonly key?: string; readonly to?: string; readonly toDb?: number };
  if (fields.db === undefined) return [];
  if (effect.op === 'move') return [[effect.toDb, effect.key]];
  if (fields.to !== undefined) return [[fields.toDb ?? fields.db, fields.to]];
  return fields.key !== undefined ? [[fields.db, fields.key]] : [];
}
