// COMMAND and its subcommands: the command table describing itself. Every reply is generated from
// the specs (commands/table.ts) by ./command/render.ts, so a command is documented the moment its
// file exists, and redis-cli's hints (built from COMMAND DOCS) follow the table with no extra work.

import { globMatch, keyword } from '../args';
import { ERR, cString } from '../errors';
import { replyHelp } from '../help';
import { commandTable } from '../table';
import type { ArgSpec, CommandSpec, Ctx } from '../types';
import { writeGetKeysReply } from './command/getkeys';
import {
  ACL_CATEGORY_ORDER,
  aclCategories,
  fullNameOf,
  writeCommandDocs,
  writeCommandInfo,
} from './command/render';

const HELP_LINES = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

/** A command named the way COMMAND INFO/DOCS accept it: "get" or "client|kill" (Redis's lookupCommandBySds). */
function lookupByFullName(name: string): { spec: CommandSpec; parent: CommandSpec | undefined } | null {
  const parts = name.split('|');
  if (parts.length > 2) return null;
  const base = commandTable().get(parts[0]!.toLowerCase());
  if (base === undefined) return null;
  if (parts.length === 1) return { spec: base, parent: undefined };
  const sub = base.subcommands?.find((s) => s.name === parts[1]!.toLowerCase());
  return sub === undefined ? null : { spec: sub, parent: base };
}

/** The command a full command line runs (Redis's lookupCommand): the subcommand when there is one. */
function lookupCommandLine(argv: readonly Buffer[]): { spec: CommandSpec; parent: CommandSpec | undefined } | null {
  const base = commandTable().get(keyword(argv[0]!));
  if (base === undefined) return null;
  if (argv.length === 1 || base.subcommands === undefined) return { spec: base, parent: undefined };
  const subName = keyword(argv[1]!);
  const sub = base.subcommands.find((s) => s.name === subName);
  return sub === undefined ? null : { spec: sub, parent: base };
}

function allCommandsInfo(ctx: Ctx): void {
  const table = commandTable();
  ctx.out.array(table.size);
  for (const spec of table.values()) writeCommandInfo(ctx.out, spec);
}

/** COMMAND GETKEYS[ANDFLAGS] <full command line>. */
function getKeysReply(ctx: Ctx, argv: Buffer[], withFlags: boolean): void {
  const line = argv.slice(2);
  const found = lookupCommandLine(line);
  const command = found && { spec: found.spec, fullName: fullNameOf(found.spec, found.parent) };
  writeGetKeysReply(ctx.out, command, line, withFlags);
}

type ListFilter = (spec: CommandSpec, fullName: string) => boolean;

/** FILTERBY MODULE|ACLCAT|PATTERN value; null after replying with the syntax error. */
function listFilterOrReply(ctx: Ctx, argv: Buffer[]): ListFilter | null | undefined {
  if (argv.length === 2) return undefined;
  // Exactly one FILTERBY clause, ending the command: anything else is a syntax error, as in Redis.
  if (argv.length !== 5 || keyword(argv[2]!) !== 'filterby') {
    ctx.out.error(ERR.syntax);
    return null;
  }
  const type = keyword(argv[3]!);
  const value = argv[4]!.toString('latin1');
  switch (type) {
    case 'module':
      // Sluice loads no modules, so no command belongs to one.
      return () => false;
    case 'aclcat': {
      const category = ACL_CATEGORY_ORDER.find((c) => c === value.toLowerCase());
      if (category === undefined) return () => false;
      return (spec) => aclCategories(spec).includes(category);
    }
    case 'pattern':
      return (_spec, fullName) => globMatch(value, fullName, true);
    default:
      ctx.out.error(ERR.syntax);
      return null;
  }
}

/** What COMMAND and each of its subcommands declare alike (as Redis's command JSON files do). */
const FAMILY = {
  flags: ['loading', 'stale', 'sentinel'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  group: 'server',
} as const satisfies Pick<CommandSpec, 'flags' | 'acl' | 'keys' | 'group'>;

const countSpec = {
  name: 'count',
  arity: 2,
  ...FAMILY,
  summary: 'Returns a count of commands.',
  since: '2.8.13',
  complexity: 'O(1)',
  handler(ctx) {
    ctx.out.integer(commandTable().size);
  },
} satisfies CommandSpec;

const docsSpec = {
  name: 'docs',
  arity: -2,
  ...FAMILY,
  summary: 'Returns documentary information about one, multiple or all commands.',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of commands to look up',
  arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
  tips: ['nondeterministic_output_order'],
  handler(ctx, argv) {
    if (argv.length === 2) {
      const table = commandTable();
      ctx.out.map(table.size);
      for (const spec of table.values()) {
        ctx.out.bulk(spec.name);
        writeCommandDocs(ctx.out, spec);
      }
      return;
    }
    // Unknown names are left out (COMMAND INFO answers null for them instead).
    const found = argv.slice(2).flatMap((arg) => lookupByFullName(cString(arg)) ?? []);
    ctx.out.map(found.length);
    for (const { spec, parent } of found) {
      ctx.out.bulk(fullNameOf(spec, parent));
      writeCommandDocs(ctx.out, spec);
    }
  },
} satisfies CommandSpec;

const getkeysArgs: readonly ArgSpec[] = [
  { name: 'command', type: 'string' },
  { name: 'arg', type: 'string', optional: true, multiple: true },
];

const getkeysSpec = {
  name: 'getkeys',
  arity: -3,
  ...FAMILY,
  summary: 'Extracts the key names from an arbitrary command.',
  since: '2.8.13',
  complexity: 'O(N) where N is the number of arguments to the command',
  arguments: getkeysArgs,
  handler(ctx, argv) {
    getKeysReply(ctx, argv, false);
  },
} satisfies CommandSpec;

const getkeysandflagsSpec = {
  name: 'getkeysandflags',
  arity: -3,
  ...FAMILY,
  summary: 'Extracts the key names and access flags for an arbitrary command.',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of arguments to the command',
  arguments: getkeysArgs,
  handler(ctx, argv) {
    getKeysReply(ctx, argv, true);
  },
} satisfies CommandSpec;

const helpSpec = {
  name: 'help',
  arity: 2,
  ...FAMILY,
  summary: 'Returns helpful text about the different subcommands.',
  since: '5.0.0',
  complexity: 'O(1)',
  handler(ctx, argv) {
    replyHelp(ctx.out, cString(argv[0]!).toUpperCase(), HELP_LINES);
  },
} satisfies CommandSpec;

const infoSpec = {
  name: 'info',
  arity: -2,
  ...FAMILY,
  summary: 'Returns information about one, multiple or all commands.',
  since: '2.8.13',
  complexity: 'O(N) where N is the number of commands to look up',
  history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
  arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
  tips: ['nondeterministic_output_order'],
  handler(ctx, argv) {
    if (argv.length === 2) return allCommandsInfo(ctx);
    ctx.out.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      const found = lookupByFullName(cString(argv[i]!));
      if (found === null) ctx.out.nullBulk();
      else writeCommandInfo(ctx.out, found.spec, found.parent);
    }
  },
} satisfies CommandSpec;

const listSpec = {
  name: 'list',
  arity: -2,
  ...FAMILY,
  summary: 'Returns a list of command names.',
  since: '7.0.0',
  complexity: 'O(N) where N is the total number of Redis commands',
  arguments: [
    {
      name: 'filterby',
      type: 'oneof',
      token: 'FILTERBY',
      optional: true,
      arguments: [
        { name: 'module-name', type: 'string', token: 'MODULE' },
        { name: 'category', type: 'string', token: 'ACLCAT' },
        { name: 'pattern', type: 'pattern', token: 'PATTERN' },
      ],
    },
  ],
  tips: ['nondeterministic_output_order'],
  handler(ctx, argv) {
    const filter = listFilterOrReply(ctx, argv);
    if (filter === null) return;
    // Containers and their subcommands are all listed, each by its full name.
    const names: string[] = [];
    for (const spec of commandTable().values()) {
      if (filter === undefined || filter(spec, spec.name)) names.push(spec.name);
      for (const sub of spec.subcommands ?? []) {
        const full = fullNameOf(sub, spec);
        if (filter === undefined || filter(sub, full)) names.push(full);
      }
    }
    ctx.out.array(names.length);
    for (const name of names) ctx.out.bulk(name);
  },
} satisfies CommandSpec;

export const spec = {
  name: 'command',
  arity: -1,
  ...FAMILY,
  summary: 'Returns detailed information about all commands.',
  since: '2.8.13',
  complexity: 'O(N) where N is the total number of Redis commands',
  tips: ['nondeterministic_output_order'],
  subcommands: [countSpec, docsSpec, getkeysSpec, getkeysandflagsSpec, helpSpec, infoSpec, listSpec],
  // COMMAND with no subcommand: every command's COMMAND INFO entry.
  handler(ctx) {
    allCommandsInfo(ctx);
  },
} satisfies CommandSpec;
