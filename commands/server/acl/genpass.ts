import { randomBytes } from 'node:crypto';
import { parseInt64 } from '../../args';
import { ERR } from '../../errors';
import { aclSubcommand, aclSyntaxError } from './common';

/** Redis's GENPASS_MAX_BITS. */
const MAX_BITS = 4096;

export const spec = aclSubcommand({
  name: 'genpass',
  arity: -2,
  admin: false,
  summary: 'Generates a random password (256 bits by default) as hex digits.',
  complexity: 'O(1)',
  arguments: [{ name: 'bits', type: 'integer', optional: true }],
  handler(ctx, argv) {
    if (argv.length > 3) return aclSyntaxError(ctx.out, argv);
    let bits = 256;
    if (argv.length === 3) {
      const parsed = parseInt64(argv[2]!.toString('latin1'));
      if (parsed === null) return ctx.out.error(ERR.notInteger);
      if (parsed <= 0 || parsed > MAX_BITS) {
        return ctx.out.error(`ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${MAX_BITS}`);
      }
      bits = Number(parsed);
    }
    // One hex digit per 4 bits, rounded up, as Redis emits.
    const chars = Math.ceil(bits / 4);
    ctx.out.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
  },
});
