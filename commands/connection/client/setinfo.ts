import { keyword } from '../../args';
import { ERR, cString } from '../../errors';
import type { CommandSpec } from '../../types';
import { validClientAttr } from '../identity';

export const spec = {
  name: 'setinfo',
  arity: 4,
  flags: ['noscript', 'loading', 'stale', 'sentinel'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Records the client library name or version shown by CLIENT LIST.',
  since: '7.2.0',
  group: 'connection',
  complexity: 'O(1)',
  tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  arguments: [
    {
      name: 'attr',
      type: 'oneof',
      arguments: [
        { name: 'libname', type: 'string', token: 'LIB-NAME' },
        { name: 'libver', type: 'string', token: 'LIB-VER' },
      ],
    },
  ],
  handler(ctx, argv) {
    const attr = keyword(argv[2]!);
    if (attr !== 'lib-name' && attr !== 'lib-ver') {
      ctx.out.error(ERR.clientAttrUnknown(cString(argv[2]!)));
      return;
    }
    const value = argv[3]!;
    if (!validClientAttr(value)) {
      ctx.out.error(ERR.clientAttrInvalid(cString(argv[2]!)));
      return;
    }
    if (attr === 'lib-name') ctx.client.libName = value.toString('latin1');
    else ctx.client.libVersion = value.toString('latin1');
    ctx.out.ok();
  },
} satisfies CommandSpec;
