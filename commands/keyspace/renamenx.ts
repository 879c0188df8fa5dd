import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { renameKey } from './rename';

export const spec = {
  name: 'renamenx',
  arity: 3,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  keys: [1, 2, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'DELETE']), keysAt(2, ['OW', 'INSERT'])],
  summary: 'Gives a key a new name only when no key has that name yet.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'newkey', type: 'key', keySpecIndex: 1 },
  ],
  handler: (ctx, argv) => renameKey(ctx, argv, true),
} satisfies CommandSpec;
