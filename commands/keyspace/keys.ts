import { globMatch } from '../args';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'keys',
  arity: 2,
  flags: ['readonly'],
  acl: ['keyspace', 'read', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Lists every key matching a glob-style pattern (walks the whole database).',
  since: '1.0.0',
  group: 'generic',
  complexity:
    'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
  arguments: [{ name: 'pattern', type: 'pattern' }],
  tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
  handler(ctx, argv) {
    const pattern = argv[1]!.toString('latin1');
    const all = pattern === '*';
    const db = ctx.engine.dbs[ctx.client.dbIndex]!;
    const found: string[] = [];
    // Expired keys are skipped but left in place, as Redis's KEYS does (it only reads).
    for (const key of db.entries.keys()) {
      if ((all || globMatch(pattern, key)) && !db.isExpired(key, ctx.nowMs)) found.push(key);
    }
    ctx.out.array(found.length);
    for (const key of found) ctx.out.bulk(key);
  },
} satisfies CommandSpec;
