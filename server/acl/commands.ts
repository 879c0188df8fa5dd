// The command table as ACL rules see it: every command and subcommand by full name ("get",
// "config|get"), with its categories. Built from the same CommandEntry map dispatch uses, so a new
// command is covered by every category rule with nothing to register.

import { isAclCategory } from '../../commands/server/acl/categories';
import type { AclCategory } from '../../commands/types';
import type { CommandEntry } from '../dispatch';

export { isAclCategory };

export class AclCommands {
  /** Every command and subcommand, parents before their subcommands. */
  readonly all: readonly CommandEntry[];
  private readonly byFullName = new Map<string, CommandEntry>();
  private readonly parentOf = new Map<CommandEntry, CommandEntry>();

  constructor(readonly top: ReadonlyMap<string, CommandEntry>) {
    const all: CommandEntry[] = [];
    for (const entry of top.values()) {
      all.push(entry);
      this.byFullName.set(entry.fullName, entry);
      for (const sub of entry.subcommands?.values() ?? []) {
        all.push(sub);
        this.byFullName.set(sub.fullName, sub);
        this.parentOf.set(sub, entry);
      }
    }
    this.all = all;
  }

  /** Redis's ACLLookupCommand: "name" or "name|sub", case-insensitively; anything deeper is unknown. */
  lookup(name: string): CommandEntry | undefined {
    const parts = name.toLowerCase().split('|');
    if (parts.length > 2) return undefined;
    const found = this.byFullName.get(parts.join('|'));
    // "get|x" is not a command even though "get" is (first-args are handled by the caller).
    return found;
  }

  parent(entry: CommandEntry): CommandEntry | undefined {
    return this.parentOf.get(entry);
  }

  /** Commands in a category, as ACL CAT <category> lists them (containers and subcommands alike). */
  inCategory(category: AclCategory): CommandEntry[] {
    return this.all.filter((entry) => entry.spec.acl.includes(category));
  }
}
