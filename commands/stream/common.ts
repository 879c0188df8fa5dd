// What the stream commands share:
//   - streamOrReply / commitStream: finding the stream at a key (WRONGTYPE otherwise) and recording
//     a StreamChange as the one Effect stream writes use;
//   - nodeLimits / xaddChange: stream-node-max-bytes/-entries in force, carried by XADD's change so
//     replay splits blocks where this server did;
//   - idOrReply / rangeOrReply: stream IDs parsed with Redis's rules and exact errors;
//   - writeId / writeEntry / writeRange: entries written straight from the stream's blocks, the same
//     shape in RESP2 and RESP3 ([id, [field, value, ...]]);
//   - parseTrimOrReply: the MAXLEN/MINID [=|~] threshold [LIMIT n] options of XADD and XTRIM, with
//     Redis's parsing order and errors, turned into the TrimSpec the stream library plans with;
//   - RefPolicy, trimWithPolicy, dropReferenceChanges, parseDeleteArgsOrReply: Redis 8.2's KEEPREF /
//     DELREF / ACKED and the IDS block, shared by XADD, XTRIM, XDELEX and XACKDEL.
//
// Handlers follow Redis's order: parse (syntax errors before the key is looked up), look up
// (WRONGTYPE), decide with the stream library (IDs, trims made concrete), commit, reply.

import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import { readKey, writeKey } from '../lookup';
import type { ArgSpec, Ctx, Reply } from '../types';
import {
  type Counter,
  type EffectIdmpConfig,
  type EntryCursor,
  type NodeLimits,
  type StreamChange,
  type StreamId,
  type TrimSpec,
  type U64,
  type XaddIdSpec,
  DEFAULT_NODE_LIMITS,
  IDMP_DEFAULT_DURATION_SEC,
  IDMP_DEFAULT_MAXSIZE,
  MAX_ID,
  MIN_ID,
  Stream,
  StreamIterator,
  formatParts,
  parseId,
  parseRange,
  parseXaddId,
  trimToEffect,
} from '../../storage/stream';

const AUTO_ID: XaddIdSpec = Object.freeze({ kind: 'auto' });

// ---- the stream at a key

/**
 * The stream at a key: undefined when the key is missing, null after a WRONGTYPE reply. `write`
 * looks the key up as a write does (no keyspace hit/miss counting).
 */
export function streamOrReply(ctx: Ctx, key: string, write: boolean): Stream | undefined | null {
  const entry = write ? writeKey(ctx, key) : readKey(ctx, key);
  if (entry === undefined) return undefined;
  if (!(entry.value instanceof Stream)) {
    ctx.out.error(ERR.wrongType);
    return null;
  }
  return entry.value;
}

/** Record a change to the stream at `key` in the client's database (apply creates it for XADD). */
export function commitStream(ctx: Ctx, key: string, change: StreamChange): void {
  ctx.commit({ op: 'stream', db: ctx.client.dbIndex, key, change });
}

/**
 * Commit a change that creates the consumer when it is missing (XREADGROUP, XCLAIM, XAUTOCLAIM),
 * announcing 'xgroup-createconsumer' when it did, as Redis's streamCreateConsumer does.
 */
export function commitCreatingConsumer(ctx: Ctx, key: string, stream: Stream, groupName: string, consumer: string, change: StreamChange): void {
  const created = stream.group(groupName)?.consumer(consumer) === undefined;
  commitStream(ctx, key, change);
  if (created) ctx.notify('stream', 'xgroup-createconsumer', key);
}

/** The stream at a key right after a commit created or changed it (no lookup side effects). */
export function committedStream(ctx: Ctx, key: string): Stream {
  return ctx.engine.dbs[ctx.client.dbIndex]!.entries.get(key)!.value as Stream;
}

// ---- node limits

/** stream-node-max-bytes and stream-node-max-entries now. */
export function nodeLimits(ctx: Ctx): NodeLimits {
  const config = ctx.server.configApi;
  return { nodeMaxBytes: config.int('stream-node-max-bytes'), nodeMaxEntries: config.int('stream-node-max-entries') };
}

/**
 * XADD's change: the entry, plus the node limits when they are not Redis's defaults, plus the
 * producer and idempotent ID it is remembered under (IDMP / IDMPAUTO).
 */
export function xaddChange(ctx: Ctx, id: StreamId, fields: readonly string[], idmp: { pid: string; iid: string } | null, creating: boolean): StreamChange {
  const limits = nodeLimits(ctx);
  const idText = formatParts(id.ms, id.seq);
  const idmpConfig = creating ? newStreamIdmpConfig(ctx) : undefined;
  const withIdmp = { ...(idmp === null ? {} : { idmp }), ...(idmpConfig === undefined ? {} : { idmpConfig }) };
  if (limits.nodeMaxBytes === DEFAULT_NODE_LIMITS.nodeMaxBytes && limits.nodeMaxEntries === DEFAULT_NODE_LIMITS.nodeMaxEntries) {
    return { op: 'xadd', id: idText, fields, ...withIdmp };
  }
  return { op: 'xadd', id: idText, fields, nodeMaxBytes: limits.nodeMaxBytes, nodeMaxEntries: limits.nodeMaxEntries, ...withIdmp };
}

/**
 * What a stream created now starts with for IDMP (stream-idmp-duration / -maxsize, Redis 8.6), for
 * the creating change to carry; undefined when that is Redis's default (nothing to record).
 */
export function newStreamIdmpConfig(ctx: Ctx): EffectIdmpConfig | undefined {
  const config = ctx.server.configApi;
  const durationSec = config.int('stream-idmp-duration');
  const maxSize = config.int('stream-idmp-maxsize');
  if (durationSec === IDMP_DEFAULT_DURATION_SEC && maxSize === IDMP_DEFAULT_MAXSIZE) return undefined;
  return { durationSec, maxSize };
}

// ---- IDs

/**
 * A stream ID argument (Redis's streamParseIDOrReply): `missingSeq` fills the sequence of a bare
 * `<ms>` (0, or 'max' for 2^64 - 1); `strict` refuses "-" and "+". Null after the
 * "Invalid stream ID" error.
 */
export function idOrReply(out: Reply, arg: Buffer, missingSeq: 0 | 'max' = 0, strict = true): StreamId | null {
  const id = parseId(arg, missingSeq, strict);
  if (id === null) out.error(ERR.streamInvalidId);
  return id;
}

/**
 * XRANGE-style bounds: "-", "+", incomplete IDs (start gets seq 0, end seq max) and exclusive "("
 * bounds, checked in Redis's order (start, then end). Null after the error reply.
 */
export function rangeOrReply(out: Reply, startArg: Buffer, endArg: Buffer): { start: StreamId; end: StreamId } | null {
  const range = parseRange(startArg, endArg);
  if ('error' in range) {
    out.error(range.error);
    return null;
  }
  return range;
}

// ---- writing entries

/** An ID as a bulk string "<ms>-<seq>". */
export function writeId(out: Reply, ms: U64, seq: U64): void {
  if (typeof ms === 'number' && typeof seq === 'number') out.bulkIdParts(ms, seq);
  else out.bulk(formatParts(ms, seq));
}

/**
 * The entry a cursor stands on: [id, [field, value, ...]], bytes copied from its block; with
 * `meta` (XREADGROUP CLAIM), [id, fields, idle ms, delivery count].
 */
export function writeEntry(out: Reply, entry: EntryCursor, meta?: readonly [number, Counter]): void {
  out.array(meta === undefined ? 2 : 4);
  writeId(out, entry.ms, entry.seq);
  const n = entry.fieldCount;
  out.array(n * 2);
  const buf = entry.buf;
  for (let i = 0; i < n; i++) {
    out.bulkRange(buf, entry.fieldStart(i), entry.fieldEnd(i));
    out.bulkRange(buf, entry.valueStart(i), entry.valueEnd(i));
  }
  if (meta !== undefined) {
    out.integer(meta[0]);
    out.integer(meta[1]);
  }
}

/**
 * The live entries with start <= ID <= end as an array of entries, at most `count` (0: all),
 * ascending or (reverse) descending. A first pass counts them without decoding fields, so the
 * array's length is known before anything is written and no entry becomes a JS object. Returns
 * how many were written.
 */
export function writeRange(out: Reply, stream: Stream, start: StreamId, end: StreamId, count: number, reverse: boolean): number {
  let n = 0;
  const counter = new StreamIterator(stream, start, end, reverse, false);
  while ((count === 0 || n < count) && counter.next()) n++;
  out.array(n);
  if (n === 0) return 0;
  const it = new StreamIterator(stream, start, end, reverse, true);
  for (let i = 0; i < n && it.next(); i++) writeEntry(out, it);
  return n;
}

// ---- trimming options (XADD, XTRIM)

/** What the trimming options asked for, as parsed (before the key is looked up). */
export interface TrimArgs {
  /** The trim to plan, or null when no MAXLEN/MINID was given (XADD only). */
  readonly trim: TrimSpec | null;
  /** XADD NOMKSTREAM. */
  readonly noMkStream: boolean;
  /** Redis 8.2's KEEPREF / DELREF / ACKED: what a trim does about consumer groups' references. */
  readonly policy: RefPolicy;
  /** XADD's ID argument, parsed (null for XTRIM, or when the arguments ran out first). */
  readonly id: XaddIdSpec | null;
  /** Index of XADD's ID argument (argv.length when none was reached): the fields follow it. */
  readonly idIndex: number;
  /** XADD IDMP pid iid / IDMPAUTO pid (Redis 8.6): iid null for IDMPAUTO (a hash of the fields). */
  readonly idmp: { readonly pid: Buffer; readonly iid: Buffer | null } | null;
}

/**
 * Redis's streamParseAddOrTrimArgsOrReply for XADD (`xadd`: options end at the ID, NOMKSTREAM and
 * Redis 8.6's IDMP / IDMPAUTO allowed) and XTRIM (every argument an option). Errors in Redis's order; LIMIT without `~` is an
 * error, and `~` without LIMIT gets Redis's default cap (100 nodes' worth of entries). Null after
 * the error reply.
 */
export function parseTrimOrReply(ctx: Ctx, argv: readonly Buffer[], xadd: boolean): TrimArgs | null {
  const out = ctx.out;
  let strategy: 'maxlen' | 'minid' | null = null;
  let approx = false;
  let maxLen = 0;
  let minId: StreamId | null = null;
  let limit = 0;
  let limitGiven = false;
  let noMkStream = false;
  let policy: RefPolicy | null = null;
  let id: XaddIdSpec | null = null;
  let idmp: TrimArgs['idmp'] = null;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    const arg = argv[i]!;
    if (xadd && isCString(arg, 0x2a)) {
      id = AUTO_ID; // "*": the common case
      break;
    }
    const opt = keyword(arg);
    if ((opt === 'maxlen' || opt === 'minid') && moreArgs > 0) {
      if (strategy !== null) {
        out.error(ERR.maxlenAndMinid);
        return null;
      }
      approx = false;
      const next = argv[i + 1]!;
      if (moreArgs >= 2 && isCString(next, 0x7e)) {
        approx = true;
        i++;
      } else if (moreArgs >= 2 && isCString(next, 0x3d)) {
        i++;
      }
      const threshold = argv[i + 1]!;
      if (opt === 'maxlen') {
        const n = parseInt64(threshold.toString('latin1'));
        if (n === null) {
          out.error(ERR.notInteger);
          return null;
        }
        if (n < 0) {
          out.error(ERR.maxlenNegative);
          return null;
        }
        maxLen = Number(n);
      } else {
        minId = idOrReply(out, threshold);
        if (minId === null) return null;
      }
      i++;
      strategy = opt;
    } else if (opt === 'limit' && moreArgs > 0) {
      const n = parseInt64(argv[i + 1]!.toString('latin1'));
      if (n === null) {
        out.error(ERR.notInteger);
        return null;
      }
      if (n < 0) {
        out.error(ERR.limitNegative);
        return null;
      }
      limit = Number(n);
      limitGiven = true;
      i++;
    } else if (xadd && opt === 'nomkstream') {
      noMkStream = true;
    } else if (xadd && opt === 'idmpauto' && moreArgs > 0) {
      if (idmp !== null) {
        out.error(ERR.idmpTwice);
        return null;
      }
      const pid = argv[++i]!;
      if (pid.length === 0) {
        out.error(ERR.idmpautoEmptyPid);
        return null;
      }
      idmp = { pid, iid: null };
    } else if (xadd && opt === 'idmp' && moreArgs >= 2) {
      if (idmp !== null) {
        out.error(ERR.idmpTwice);
        return null;
      }
      const pid = argv[i + 1]!;
      const iid = argv[i + 2]!;
      if (pid.length === 0) {
        out.error(ERR.idmpEmptyPid);
        return null;
      }
      if (iid.length === 0) {
        out.error(ERR.idmpEmptyIid);
        return null;
      }
      idmp = { pid, iid };
      i += 2;
    } else if (isRefPolicy(opt) && policy === null) {
      policy = opt; // a second one is not an option (XADD: an invalid ID; XTRIM: a syntax error)
    } else if (xadd) {
      // Anything else is the ID (a stray word is an invalid ID, as in Redis).
      id = parseXaddId(arg);
      if (id === null) {
        out.error(ERR.streamInvalidId);
        return null;
      }
      if (idmp !== null) {
        out.error(ERR.idmpExplicitId);
        return null;
      }
      break;
    } else {
      out.error(ERR.syntax);
      return null;
    }
  }
  if (limit !== 0 && strategy === null) {
    out.error(ERR.limitWithoutStrategy);
    return null;
  }
  if (!xadd && strategy === null) {
    out.error(ERR.xtrimWithoutStrategy);
    return null;
  }
  if (limitGiven) {
    if (!approx) {
      out.error(ERR.limitWithoutApprox);
      return null;
    }
  } else if (approx) {
    limit = defaultTrimLimit(ctx);
  } else {
    limit = 0;
  }
  let trim: TrimSpec | null = null;
  if (strategy === 'maxlen') trim = { strategy, maxLen, approx, limit };
  else if (strategy === 'minid') trim = { strategy, minId: minId!, approx, limit };
  return { trim, noMkStream, policy: policy ?? 'keepref', id, idIndex: i, idmp };
}

// ---- consumer-group references (Redis 8.2: XADD/XTRIM KEEPREF|DELREF|ACKED, XDELEX, XACKDEL)

/**
 * What deleting or trimming entries does about the consumer groups' pending entries (PELs):
 * - keepref: entries go, PEL entries pointing at them stay (Redis's behaviour before 8.2);
 * - delref:  entries go, and every group's PEL entries for them go too;
 * - acked:   only entries every group has read (ID <= its last delivered ID) and acknowledged
 *            (in no PEL) go (Stream.ackedByAllGroups; with no groups, every entry).
 * Shared by XADD, XTRIM, XDELEX and XACKDEL.
 */
export type RefPolicy = 'keepref' | 'delref' | 'acked';

/** COMMAND DOCS of the KEEPREF | DELREF | ACKED choice (XADD, XTRIM, XDELEX, XACKDEL; Redis 8.2). */
export const REF_POLICY_ARGUMENT: ArgSpec = {
  name: 'condition',
  type: 'oneof',
  optional: true,
  arguments: [
    { name: 'keepref', type: 'pure-token', token: 'KEEPREF' },
    { name: 'delref', type: 'pure-token', token: 'DELREF' },
    { name: 'acked', type: 'pure-token', token: 'ACKED' },
  ],
};

/** COMMAND DOCS of the IDS numids id... block (XDELEX, XACKDEL). */
export const IDS_ARGUMENT: ArgSpec = {
  name: 'ids',
  type: 'block',
  token: 'IDS',
  arguments: [
    { name: 'numids', type: 'integer' },
    { name: 'id', type: 'string', multiple: true },
  ],
};

/** Whether a lower-cased keyword is one of the reference policies. */
export function isRefPolicy(word: string): word is RefPolicy {
  return word === 'keepref' || word === 'delref' || word === 'acked';
}

/**
 * DELREF's effect: for each group holding any of `ids` in its PEL, an xack change dropping them.
 * Record these with (before or after) the change that deletes the entries.
 */
export function dropReferenceChanges(stream: Stream, ids: readonly StreamId[]): StreamChange[] {
  const changes: StreamChange[] = [];
  for (const group of stream.groupsInOrder()) {
    const held: string[] = [];
    for (const id of ids) if (group.pel.has(id.ms, id.seq)) held.push(formatParts(id.ms, id.seq));
    if (held.length > 0) changes.push({ op: 'xack', group: group.name, ids: held });
  }
  return changes;
}

/**
 * A trim (XTRIM, or XADD's after its append) under a reference policy, recorded as the exact trim
 * it amounts to (plus, for DELREF, the PEL entries it drops). Returns how many entries it removed.
 * ACKED keeps the removal a prefix of the stream: it stops before the first entry the trim would
 * take that some group still references, so an approximate trim still removes whole nodes only.
 */
export function trimWithPolicy(ctx: Ctx, key: string, stream: Stream, trim: TrimSpec, policy: RefPolicy): number {
  let plan = stream.planTrim(trim);
  if (plan.removed === 0) return 0;
  if (policy !== 'keepref' && stream.groupCount > 0) {
    const removed = firstEntries(stream, plan.removed);
    if (policy === 'acked') {
      const blocker = removed.find((id) => !stream.ackedByAllGroups(id));
      if (blocker !== undefined) {
        plan = stream.planTrim({ strategy: 'minid', minId: blocker, approx: trim.approx, limit: trim.limit });
        if (plan.removed === 0) return 0;
      }
    } else {
      for (const change of dropReferenceChanges(stream, removed)) commitStream(ctx, key, change);
    }
  }
  commitStream(ctx, key, { op: 'xtrim', trim: trimToEffect(plan.replay) });
  return plan.removed;
}

/** What XDELEX and XACKDEL read after their fixed arguments (the IDs still unparsed). */
export interface DeleteArgs {
  readonly policy: RefPolicy;
  readonly idArgs: readonly Buffer[];
}

/**
 * Redis's streamParseAckDelArgsOrReply: `[KEEPREF | DELREF | ACKED] IDS numids id [id ...]` from
 * argument `from` on, in either order. One policy at most (a second is a syntax error); a later
 * IDS block replaces an earlier one. The IDs are checked later (idsOrReply), after the lookup, as
 * Redis does. Null after the error reply.
 */
export function parseDeleteArgsOrReply(ctx: Ctx, argv: readonly Buffer[], from: number): DeleteArgs | null {
  let policy: RefPolicy | null = null;
  let idArgs: Buffer[] | null = null;
  for (let i = from; i < argv.length; i++) {
    const opt = keyword(argv[i]!);
    if (isRefPolicy(opt) && policy === null) {
      policy = opt;
    } else if (opt === 'ids' && i + 1 < argv.length) {
      const n = parseInt64(argv[i + 1]!.toString('latin1'));
      if (n === null || n <= 0) {
        ctx.out.error(ERR.numidsNotPositive);
        return null;
      }
      if (n > argv.length - i - 2) {
        ctx.out.error(ERR.numidsMismatch);
        return null;
      }
      idArgs = argv.slice(i + 2, i + 2 + Number(n));
      i += 1 + Number(n);
    } else {
      ctx.out.error(ERR.syntax);
      return null;
    }
  }
  if (idArgs === null) {
    ctx.out.error(ERR.idsRequired);
    return null;
  }
  return { policy: policy ?? 'keepref', idArgs };
}

/** Every ID of an IDS block, parsed strictly; null after the first invalid one's error reply. */
export function idsOrReply(out: Reply, idArgs: readonly Buffer[]): StreamId[] | null {
  const ids: StreamId[] = [];
  for (const arg of idArgs) {
    const id = idOrReply(out, arg);
    if (id === null) return null;
    ids.push(id);
  }
  return ids;
}

/** A reply of `n` times -1: XDELEX / XACKDEL on a missing key (or group). */
export function writeAllNotFound(out: Reply, n: number): void {
  out.array(n);
  for (let i = 0; i < n; i++) out.integer(-1);
}

/** The IDs of the first `n` live entries (what a trim removing n entries removes). */
function firstEntries(stream: Stream, n: number): StreamId[] {
  const ids: StreamId[] = [];
  const it = new StreamIterator(stream, MIN_ID, MAX_ID, false, false);
  while (ids.length < n && it.next()) ids.push(it.id());
  return ids;
}

/** Redis's cap on an approximate trim without LIMIT: 100 nodes' worth, within [1, 1000000] (else 10000). */
function defaultTrimLimit(ctx: Ctx): number {
  const limit = 100 * ctx.server.configApi.int('stream-node-max-entries');
  if (limit <= 0) return 10000;
  return Math.min(limit, 1000000);
}

/** Whether an argument reads, as a C string, as the single character `c` (Redis tests opt[0], opt[1]). */
function isCString(arg: Buffer, c: number): boolean {
  return arg.length >= 1 && arg[0] === c && (arg.length === 1 || arg[1] === 0);
}
