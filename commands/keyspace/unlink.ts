import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { deleteKeys } from './del';

export const spec = {
  name: 'unlink',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  keys: [1, -1, 1],
  keySpecs: [keysAt(1, ['RM', 'DELETE'], { lastkey: -1 })],
  summary: 'Removes one or more keys like DEL, leaving the memory to be reclaimed in the background.',
  since: '4.0.0',
  group: 'generic',
  complexity:
    'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  // Removed values are left to the garbage collector in both cases, so UNLINK is DEL.
  handler: deleteKeys,
} satisfies CommandSpec;
