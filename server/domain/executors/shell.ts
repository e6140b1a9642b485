/**
 * POSIX shell quoting for commands sent over SSH, where the remote login shell (sh, dash, bash)
 * parses the command line: every argument must reach the program as exactly one, unchanged word.
 */

// Words made only of these need no quotes. `=` is left out so a first word is never an assignment.
const SAFE = /^[A-Za-z0-9_@%+,.:/-]+$/;

/** One argument as a shell word: bare when harmless, else single-quoted (inside which only `'` needs care). */
export function shellQuote(arg: string): string {
  return SAFE.test(arg) ? arg : quoted(arg);
}

/**
 * A command line for argv. The program name is always quoted: a quoted word is never a shell
 * keyword (`if`, `!`, `time`) or an alias, so it always names a command.
 */
export function shellCommand(argv: string[]): string {
  if (argv.length === 0) throw new Error("an empty command");
  const [program, ...args] = argv;
  return [quoted(program!), ...args.map(shellQuote)].join(" ");
}

function quoted(arg: string): string {
  // argv is a list of C strings: a NUL cannot be passed, so refuse rather than truncate.
  if (arg.includes("\0")) throw new Error(`an argument cannot contain a NUL byte: ${JSON.stringify(arg)}`);
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
