// A minimal command layer over storage/stream, for tests only: just enough of XADD, XDEL, XTRIM,
// XGROUP, XREADGROUP '>', XACK and XSETID (valid syntax assumed, Redis's semantic errors kept) to
// replay the scenarios recorded from a real Redis, and to show how handlers drive the library:
// parse, decide (IDs, trims, group counters made concrete), record a StreamChange, apply it.
// Every change goes through applyStreamChange, so replaying the recorded changes on a fresh stream
// must reach the same state (the scenario test checks this too).

import {
  type NodeLimits,
  type StreamChange,
  type StreamId,
  type TrimSpec,
  ENTRIES_READ_INVALID,
  ERR_INVALID_ID,
  ERR_XSETID_SMALLER_THAN_MAX_DELETED_ARG,
  MAX_ID,
  Stream,
  applyStreamChange,
  compareIds,
  counterToEffect,
  createsStream,
  formatId,
  groupCountersToEffect,
  incrId,
  isXaddZero,
  nextEntryId,
  parseId,
  parseRange,
  parseXaddId,
  trimToEffect,
  ERR_XADD_ZERO,
} from '../../storage/stream';

export type Reply = null | number | string | Reply[] | { error: string };

export class MiniServer {
  readonly streams = new Map<string, Stream>();
  /** Every change applied, with its key, in order. */
  readonly log: Array<{ key: string; change: StreamChange }> = [];
  nowMs = 1000;
  /** Follow Redis 7.0 where its command layer differs from 7.2 (the fixtures come from 7.0.15). */
  redis70 = true;

  constructor(public limits: NodeLimits) {}

  private commit(key: string, change: StreamChange): void {
    let stream = this.streams.get(key);
    if (stream === undefined) {
      if (!createsStream(change)) throw new Error(`change ${change.op} on a missing key`);
      stream = new Stream();
      this.streams.set(key, stream);
    }
    applyStreamChange(stream, change, this.limits);
    this.log.push({ key, change });
  }

  run(cmd: readonly string[]): Reply {
    const name = cmd[0]!.toUpperCase();
    switch (name) {
      case 'XADD':
        return this.xadd(cmd);
      case 'XDEL':
        return this.xdel(cmd);
      case 'XTRIM':
        return this.xtrim(cmd);
      case 'XGROUP':
        return this.xgroup(cmd);
      case 'XREADGROUP':
        return this.xreadgroup(cmd);
      case 'XACK':
        return this.xack(cmd);
      case 'XSETID':
        return this.xsetid(cmd);
      case 'XRANGE':
      case 'XREVRANGE':
        return this.xrange(cmd, name === 'XREVRANGE');
      default:
        throw new Error(`mini server: ${name}?`);
    }
  }

  /** Parse [MAXLEN|MINID [=|~] threshold [LIMIT n]] at i; returns the spec and the next index. */
  private trimArgs(cmd: readonly string[], i: number): { spec: TrimSpec | null; next: number; error?: string } {
    let spec: TrimSpec | null = null;
    let limit = -1;
    for (;;) {
      const opt = cmd[i]?.toUpperCase();
      if (opt === 'MAXLEN' || opt === 'MINID') {
        let approx = false;
        if (cmd[i + 1] === '~' || cmd[i + 1] === '=') {
          approx = cmd[i + 1] === '~';
          i++;
        }
        if (opt === 'MAXLEN') spec = { strategy: 'maxlen', maxLen: Number(cmd[i + 1]), approx, limit: 0 };
        else {
          const id = parseId(cmd[i + 1]!);
          if (id === null) return { spec: null, next: i, error: ERR_INVALID_ID };
          spec = { strategy: 'minid', minId: id, approx, limit: 0 };
        }
        i += 2;
      } else if (opt === 'LIMIT') {
        limit = Number(cmd[i + 1]);
        i += 2;
      } else {
        break;
      }
    }
    if (spec !== null) {
      // Redis: LIMIT only with ~; without LIMIT, ~ trims at most 100 nodes' worth.
      let effective = 0;
      if (spec.approx) {
        if (limit >= 0) effective = limit;
        else {
          effective = 100 * this.limits.nodeMaxEntries;
          if (effective <= 0) effective = 10000;
          if (effective > 1000000) effective = 1000000;
        }
      }
      spec = { ...spec, limit: effective };
    }
    return { spec, next: i };
  }

  private xadd(cmd: readonly string[]): Reply {
    const key = cmd[1]!;
    const { spec: trim, next, error } = this.trimArgs(cmd, 2);
    if (error !== undefined) return { error };
    const idSpec = parseXaddId(cmd[next]!);
    if (idSpec === null) return { error: ERR_INVALID_ID };
    if (isXaddZero(idSpec)) return { error: ERR_XADD_ZERO };
    const stream = this.streams.get(key);
    const result = nextEntryId(stream?.lastId ?? { ms: 0, seq: 0 }, idSpec, this.nowMs);
    if (result.error !== undefined) return { error: result.error };
    const fields = cmd.slice(next + 1);
    this.commit(key, { op: 'xadd', id: formatId(result.id), fields });
    // The trim is planned on the stream as it is after the append, and recorded as its exact replay.
    if (trim !== null) {
      const { removed, replay } = this.streams.get(key)!.planTrim(trim);
      if (removed > 0) this.commit(key, { op: 'xtrim', trim: trimToEffect(replay) });
    }
    return formatId(result.id);
  }

  private xdel(cmd: readonly string[]): Reply {
    const key = cmd[1]!;
    const stream = this.streams.get(key);
    if (stream === undefined) return 0;
    const ids: StreamId[] = [];
    for (const arg of cmd.slice(2)) {
      const id = parseId(arg);
      if (id === null) return { error: ERR_INVALID_ID };
      ids.push(id);
    }
    const before = stream.length;
    this.commit(key, { op: 'xdel', ids: ids.map(formatId) });
    return before - stream.length;
  }

  private xtrim(cmd: readonly string[]): Reply {
    const key = cmd[1]!;
    const { spec, error } = this.trimArgs(cmd, 2);
    if (error !== undefined) return { error };
    const stream = this.streams.get(key);
    if (stream === undefined) return 0;
    const { removed, replay } = stream.planTrim(spec!);
    if (removed > 0) this.commit(key, { op: 'xtrim', trim: trimToEffect(replay) });
    return removed;
  }

  private xgroup(cmd: readonly string[]): Reply {
    const sub = cmd[1]!.toUpperCase();
    const key = cmd[2]!;
    const groupName = cmd[3]!;
    const stream = this.streams.get(key);
    if (stream === undefined) {
      return {
        error:
          'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      };
    }
    let entriesRead: number = ENTRIES_READ_INVALID;
    const er = cmd.indexOf('ENTRIESREAD');
    if (er !== -1) entriesRead = Number(cmd[er + 1]);
    if (sub === 'CREATE') {
      const id = cmd[4] === '$' ? stream.lastId : parseId(cmd[4]!);
      if (id === null) return { error: ERR_INVALID_ID };
      if (stream.group(groupName) !== undefined) return { error: 'BUSYGROUP Consumer Group name already exists' };
      this.commit(key, { op: 'xgroupcreate', group: groupName, lastId: formatId(id), entriesRead });
      return 'OK';
    }
    if (sub === 'DESTROY') {
      if (stream.group(groupName) === undefined) return 0;
      this.commit(key, { op: 'xgroupdestroy', group: groupName });
      return 1;
    }
    if (sub === 'SETID') {
      const group = stream.group(groupName);
      if (group === undefined) return { error: `NOGROUP No such consumer group '${groupName}' for key name '${key}'` };
      const id = cmd[4] === '$' ? stream.lastId : parseId(cmd[4]!, 0, false);
      if (id === null) return { error: ERR_INVALID_ID };
      this.commit(key, { op: 'xgroupsetid', group: groupName, lastId: formatId(id), entriesRead });
      return 'OK';
    }
    throw new Error(`mini server: XGROUP ${sub}?`);
  }

  private xreadgroup(cmd: readonly string[]): Reply {
    const groupName = cmd[2]!;
    const consumerName = cmd[3]!;
    const countAt = cmd.indexOf('COUNT');
    const count = countAt === -1 ? 0 : Number(cmd[countAt + 1]);
    const noack = cmd.includes('NOACK');
    const key = cmd[cmd.indexOf('STREAMS') + 1]!;
    const stream = this.streams.get(key);
    const group = stream?.group(groupName);
    if (stream === undefined || group === undefined) {
      return { error: `NOGROUP No such key '${key}' or consumer group '${groupName}' in XREADGROUP with GROUP option` };
    }
    // Serve only when the stream holds something past the group's last delivered ID.
    const top = stream.lastValidId();
    const ids: string[] = [];
    let counters = { lastId: group.lastId, entriesRead: group.entriesRead };
    if (top !== null && compareIds(top, group.lastId) > 0) {
      const start = incrId(group.lastId)!;
      stream.range(start, MAX_ID, count, false, (entry) => {
        const id = entry.id();
        counters = stream.groupCountersAfter(counters.lastId, counters.entriesRead, id) ?? counters;
        ids.push(formatId(id));
      });
    }
    // Redis 7.0 (whose answers the fixtures hold) creates the consumer only when it serves the read;
    // 7.2 creates it (and marks it seen) on every XREADGROUP.
    if (ids.length === 0 && this.redis70 && group.consumer(consumerName) === undefined) return null;
    const change: StreamChange =
      ids.length > 0
        ? { op: 'xdeliver', group: groupName, consumer: consumerName, atMs: this.nowMs, ids, noack, ...groupCountersToEffect(counters) }
        : { op: 'xdeliver', group: groupName, consumer: consumerName, atMs: this.nowMs, ids, noack };
    this.commit(key, change);
    return ids.length === 0 ? null : ids;
  }

  /** XRANGE / XREVRANGE, replying with the IDs only (as the fixtures keep them). */
  private xrange(cmd: readonly string[], reverse: boolean): Reply {
    const bounds = reverse ? parseRange(cmd[3]!, cmd[2]!) : parseRange(cmd[2]!, cmd[3]!);
    if ('error' in bounds) return { error: bounds.error };
    const count = cmd.length > 5 ? Number(cmd[5]) : -1;
    const stream = this.streams.get(cmd[1]!);
    if (stream === undefined) return [];
    if (count === 0) return null;
    const ids: string[] = [];
    stream.range(bounds.start, bounds.end, Math.max(count, 0), reverse, (e) => void ids.push(e.idText()));
    return ids;
  }

  private xack(cmd: readonly string[]): Reply {
    const key = cmd[1]!;
    const groupName = cmd[2]!;
    const ids: StreamId[] = [];
    for (const arg of cmd.slice(3)) {
      const id = parseId(arg);
      if (id === null) return { error: ERR_INVALID_ID };
      ids.push(id);
    }
    const group = this.streams.get(key)?.group(groupName);
    if (group === undefined) return 0;
    const acked = new Set<string>();
    for (const id of ids) if (group.pending(id) !== undefined) acked.add(formatId(id));
    if (acked.size > 0) this.commit(key, { op: 'xack', group: groupName, ids: [...acked] });
    return acked.size;
  }

  private xsetid(cmd: readonly string[]): Reply {
    const key = cmd[1]!;
    const id = parseId(cmd[2]!);
    if (id === null) return { error: ERR_INVALID_ID };
    let entriesAdded = -1;
    let maxDeleted: StreamId | null = null;
    for (let i = 3; i < cmd.length; i += 2) {
      const opt = cmd[i]!.toUpperCase();
      if (opt === 'ENTRIESADDED') entriesAdded = Number(cmd[i + 1]);
      else if (opt === 'MAXDELETEDID') {
        maxDeleted = parseId(cmd[i + 1]!);
        if (maxDeleted === null) return { error: ERR_INVALID_ID };
        if (compareIds(id, maxDeleted) < 0) return { error: ERR_XSETID_SMALLER_THAN_MAX_DELETED_ARG };
      }
    }
    const stream = this.streams.get(key);
    if (stream === undefined) return { error: 'ERR no such key' };
    const error = stream.checkSetId(id, entriesAdded, !this.redis70);
    if (error !== null) return { error };
    const change: StreamChange = { op: 'xsetid', lastId: formatId(id) };
    this.commit(key, {
      ...change,
      ...(entriesAdded !== -1 ? { entriesAdded: counterToEffect(entriesAdded) } : {}),
      ...(maxDeleted !== null ? { maxDeletedId: formatId(maxDeleted) } : {}),
    });
    return 'OK';
  }

  /** XINFO STREAM, compacted like the fixtures. */
  info(key: string): Reply {
    const s = this.streams.get(key);
    if (s === undefined) return null;
    const first = s.firstValidId();
    const last = s.lastValidId();
    return [
      s.length,
      s.blockCount,
      formatId(s.lastId),
      formatId(s.maxDeletedEntryId),
      Number(s.entriesAdded),
      formatId(s.firstId),
      first === null ? null : formatId(first),
      last === null ? null : formatId(last),
    ];
  }

  /** XINFO GROUPS, compacted like the fixtures. */
  groups(key: string): Reply {
    const s = this.streams.get(key);
    if (s === undefined) return null;
    return s.groupsInOrder().map((g) => {
      const lag = s.groupLag(g);
      return [
        g.name,
        g.consumers.size,
        g.pel.size,
        formatId(g.lastId),
        g.entriesRead === ENTRIES_READ_INVALID ? null : Number(g.entriesRead),
        lag === null ? null : Number(lag),
      ];
    });
  }
}
