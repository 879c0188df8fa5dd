import { keyword, parseInt64 } from '../args';
import { ERR, cString } from '../errors';
import type { CommandSpec, Ctx } from '../types';
import { redact, validClientAttr } from './identity';

export const spec = {
  name: 'hello',
  arity: -1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'],
  acl: ['fast', 'connection'],
  keys: [0, 0, 0],
  summary: 'Negotiates the protocol version, optionally authenticating and naming the connection.',
  since: '6.0.0',
  group: 'connection',
  complexity: 'O(1)',
  arguments: [
    {
      name: 'arguments',
      type: 'block',
      optional: true,
      arguments: [
        { name: 'protover', type: 'integer' },
        {
          name: 'username_password',
          type: 'block',
          token: 'AUTH',
          optional: true,
          arguments: [
            { name: 'username', type: 'string' },
            { name: 'password', type: 'string' },
          ],
        },
        { name: 'clientname', type: 'string', token: 'SETNAME', optional: true },
      ],
    },
  ],
  history: [['6.2.0', '`protover` became optional: with no arguments HELLO describes the connection as it is.']],
  handler(ctx, argv) {
    let protover: 2 | 3 | null = null;
    if (argv.length >= 2) {
      const version = parseInt64(argv[1]!.toString('latin1'));
      if (version === null) {
        ctx.out.error(ERR.protocolVersionNotInteger);
        return;
      }
      if (version !== 2 && version !== 3) {
        ctx.out.error(ERR.protoUnsupported);
        return;
      }
      protover = version;
    }

    // Options are all checked before anything changes; when one repeats, the last one counts.
    let credentials: [username: Buffer, password: Buffer] | null = null;
    let name: Buffer | null = null;
    for (let j = 2; j < argv.length; j++) {
      const option = keyword(argv[j]!);
      const more = argv.length - 1 - j;
      if (option === 'auth' && more >= 2) {
        credentials = [argv[j + 1]!, argv[j + 2]!];
        redact(argv, j + 1);
        redact(argv, j + 2);
        j += 2;
      } else if (option === 'setname' && more >= 1) {
        name = argv[j + 1]!;
        if (!validClientAttr(name)) {
          ctx.out.error(ERR.clientNameSpaces);
          return;
        }
        j += 1;
      } else {
        ctx.out.error(ERR.helloSyntax(cString(argv[j]!)));
        return;
      }
    }

    if (credentials !== null && !ctx.server.acl.authenticate(ctx.client, ...credentials, argv[0]!)) {
      ctx.out.error(ERR.wrongPass);
      return;
    }
    if (!ctx.client.authenticated) {
      ctx.out.error(ERR.helloNoAuth);
      return;
    }
    if (name !== null) ctx.client.name = name.toString('latin1');
    // The reply itself already speaks the new protocol.
    if (protover !== null) ctx.client.resp = protover;

    const out = ctx.out;
    out.map(7);
    out.bulk('server');
    out.bulk('redis');
    out.bulk('version');
    out.bulk(compatVersion(ctx));
    out.bulk('proto');
    out.integer(ctx.client.resp);
    out.bulk('id');
    out.integer(ctx.client.id);
    out.bulk('mode');
    out.bulk('standalone');
    out.bulk('role');
    out.bulk('master');
    out.bulk('modules');
    out.array(0);
  },
} satisfies CommandSpec;

let version: string | null = null;

/**
 * The Redis version Sluice speaks. The server states it in INFO's redis_version; reading it from
 * there keeps one source of truth without the command layer importing the server.
 */
function compatVersion(ctx: Ctx): string {
  if (version === null) version = /^redis_version:(.*)$/m.exec(ctx.server.info(['server']))?.[1]?.trimEnd() ?? '';
  return version;
}
