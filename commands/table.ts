// The command table: every command module under commands/<group>/ declares its own spec, and this
// module collects them by reading the folders, so there is no hand-kept list to forget a command in.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec } from './types';

export interface CommandModule {
  spec?: CommandSpec;
  specs?: readonly CommandSpec[];
}

let table: Map<string, CommandSpec> | null = null;

/** All top-level commands by lower-case name, loaded once. */
export function commandTable(): Map<string, CommandSpec> {
  if (table === null) table = loadTable(__dirname);
  return table;
}

function loadTable(root: string): Map<string, CommandSpec> {
  const found = new Map<string, CommandSpec>();
  for (const group of readdirSync(root).sort()) {
    const dir = join(root, group);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.js')) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(dir, file)) as CommandModule;
      const specs = mod.specs ?? (mod.spec !== undefined ? [mod.spec] : []);
      for (const spec of specs) {
        if (found.has(spec.name)) throw new Error(`command '${spec.name}' is declared twice (${group}/${file})`);
        found.set(spec.name, spec);
      }
    }
  }
  return found;
}

/**
 * rename-command (config file only): the command answers to `to` from now on, or to nothing when
 * `to` is empty. COMMAND, COMMAND INFO and INFO commandstats keep showing its own name, as in
 * Redis, whose rename re-keys the command table but leaves the command's name alone. Returns
 * Redis's error text, or null.
 */
export function renameCommand(from: string, to: string): string | null {
  const commands = commandTable();
  const spec = commands.get(from.toLowerCase());
  if (spec === undefined) return 'No such command in rename-command';
  const target = to.toLowerCase();
  if (target !== '' && target !== from.toLowerCase() && commands.has(target)) return 'Target command name already exists';
  commands.delete(from.toLowerCase());
  if (target !== '') commands.set(target, spec);
  return null;
}

/** The full name Redis uses in errors and COMMAND output: "get", or "client|setname" for a subcommand. */
export function fullName(spec: CommandSpec, parent?: CommandSpec): string {
  return parent === undefined ? spec.name : `${parent.name}|${spec.name}`;
}
