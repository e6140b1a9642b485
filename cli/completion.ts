import type { Command } from "commander";

/**
 * A bash completion script from the command tree itself, so a new command completes without
 * editing it: each command path maps to its subcommands and options.
 */
export function completionScript(program: Command, shell: "bash" | "zsh" = "bash"): string {
  const cases: string[] = [];
  const walk = (cmd: Command, path: string) => {
    const words = [...cmd.commands.map((c) => c.name()), ...cmd.options.map((o) => o.long ?? o.short ?? "").filter(Boolean), "--help"];
    cases.push(`    "${path}") words="${words.join(" ")}" ;;`);
    for (const sub of cmd.commands) walk(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  walk(program, "");
  // zsh runs the same function through its bash compatibility layer.
  const zsh = shell === "zsh" ? "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" : "";
  return `# ${shell} completion for hedwig: eval "$(hedwig completion ${shell})"
${zsh}_hedwig() {
  local cur cmdpath="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && continue
    case "\${cmdpath:+$cmdpath }$w" in
${cases.map((c) => "      " + c.trim().replace(/\) words=.*$/, ') cmdpath="${cmdpath:+$cmdpath }$w" ;;')).join("\n")}
    esac
  done
  local words=""
  case "$cmdpath" in
${cases.join("\n")}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _hedwig hedwig
`;
}
