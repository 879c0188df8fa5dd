// Masks for comparing consumer-group replies with Redis 7.0's: times the servers read from their
// own clocks are masked, and 7.2's additions (XINFO CONSUMERS' inactive, XINFO STREAM FULL's
// active-time) and 8.6's (XINFO STREAM's idempotency fields) are left out of both sides.

import { decodeReply, show, type RespValue } from '../command/resp-value';

const MASKED: RespValue = { t: 'bulk', v: '<masked>' };

/**
 * A reply decoded and shown with the values of the named fields masked and of `drop` removed,
 * wherever a map (RESP3) or a flat name/value array (RESP2) holds them.
 */
export function fields(mask: readonly string[], drop: readonly string[] = []): (reply: Buffer) => string {
  const walk = (v: RespValue): RespValue => {
    if (v.t === 'map') {
      return {
        t: 'map',
        v: v.v
          .filter(([k]) => !(k.t === 'bulk' && drop.includes(k.v)))
          .map(([k, x]) => [k, k.t === 'bulk' && mask.includes(k.v) ? MASKED : walk(x)] as const),
      };
    }
    if (v.t === 'array') {
      const out: RespValue[] = [];
      for (let i = 0; i < v.v.length; i++) {
        const item = v.v[i]!;
        const named = item.t === 'bulk' && i % 2 === 0 && i + 1 < v.v.length;
        if (named && drop.includes(item.v)) {
          i++;
          continue;
        }
        if (named && mask.includes(item.v)) {
          out.push(item, MASKED);
          i++;
          continue;
        }
        out.push(walk(item));
      }
      return { t: 'array', v: out };
    }
    return v;
  };
  return (reply) => show(walk(decodeReply(reply)));
}

/** XPENDING pages: [id, consumer, idle, deliveries] with the idle time masked. */
export const pendingPage = (reply: Buffer): string =>
  reply.toString('latin1').replace(/(\*4\r\n\$\d+\r\n\d+-\d+\r\n\$\d+\r\n[^\r]*\r\n):\d+\r\n/g, '$1:<idle>\r\n');

/** XINFO CONSUMERS as 7.0 and 7.2 both show it: idle masked, 7.2's inactive left out. */
export const consumersInfo = fields(['idle'], ['inactive']);
/** XINFO STREAM's Redis 8.6 idempotency fields (XADD IDMP / IDMPAUTO), which Redis 7.0 lacks. */
export const IDMP_INFO_FIELDS = ['idmp-duration', 'idmp-maxsize', 'pids-tracked', 'iids-tracked', 'iids-added', 'iids-duplicates'];
/** XINFO STREAM: 8.6's idempotency fields left out. */
export const streamInfo = fields([], IDMP_INFO_FIELDS);
/** XINFO STREAM FULL: seen-time masked, 7.2's active-time and 8.6's idempotency fields left out. */
export const fullInfo = fields(['seen-time'], ['active-time', ...IDMP_INFO_FIELDS]);

/** XINFO STREAM FULL with every absolute time (13 digits: seen-time, delivery times) masked too. */
export const fullInfoTimeless = (reply: Buffer): string => fullInfo(reply).replace(/:\d{13}\b/g, ':<time>');
