import { cString } from '../../errors';
import { commandTable } from '../../table';
import { aclSubcommand, aclSyntaxError } from './common';
import { ACL_CATEGORIES, isAclCategory } from './categories';

export const spec = aclSubcommand({
  name: 'cat',
  arity: -2,
  admin: false,
  summary: 'Lists the ACL categories, or the commands (and subcommands) in one category.',
  complexity: 'O(1) since the categories and commands are a fixed set.',
  arguments: [{ name: 'categoryname', type: 'string', optional: true }],
  handler(ctx, argv) {
    if (argv.length > 3) return aclSyntaxError(ctx.out, argv);
    if (argv.length === 2) {
      ctx.out.array(ACL_CATEGORIES.length);
      for (const category of ACL_CATEGORIES) ctx.out.bulk(category);
      return;
    }
    const category = argv[2]!.toString('latin1').toLowerCase();
    if (!isAclCategory(category)) {
      ctx.out.error(`ERR Unknown category '${cString(argv[2]!).slice(0, 128)}'`);
      return;
    }
    // Straight from the command table: a new command is listed with nothing to register.
    const names: string[] = [];
    for (const command of commandTable().values()) {
      if (command.acl.includes(category)) names.push(command.name);
      for (const sub of command.subcommands ?? []) {
        if (sub.acl.includes(category)) names.push(`${command.name}|${sub.name}`);
      }
    }
    ctx.out.array(names.length);
    for (const name of names) ctx.out.bulk(name);
  },
});
