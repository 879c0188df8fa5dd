import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { typeName } from '../../storage/keyspace';
import { peekKey } from './common';

export const spec = {
  name: 'type',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO'])],
  summary: 'Names the type of the value at a key, or "none" when it does not exist.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  handler(ctx, argv) {
    const entry = peekKey(ctx, keyOf(argv[1]!));
    ctx.out.simple(entry === undefined ? 'none' : typeName(entry.value));
  },
} satisfies CommandSpec;
