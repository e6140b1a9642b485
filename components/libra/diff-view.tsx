"use client";

import { clsx } from "clsx";

/** A unified diff, added lines green and removed red, like a code review. */
export function DiffView({ patch, empty, testId }: { patch: string; empty: string; testId?: string }) {
  if (!patch)
    return (
      <p className="text-sm text-slate-500" data-testid={testId}>
        {empty}
      </p>
    );
  const lines = patch.split("\n").filter((l) => !l.startsWith("===") && !l.startsWith("Index:"));
  return (
    <pre className="max-h-[28rem] overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-200" data-testid={testId}>
      {lines.map((l, i) => (
        <div
          key={i}
          className={clsx(
            l.startsWith("+") && !l.startsWith("+++") && "bg-emerald-900/50 text-emerald-200",
            l.startsWith("-") && !l.startsWith("---") && "bg-rose-900/50 text-rose-200",
            l.startsWith("@@") && "text-sky-300",
            (l.startsWith("+++") || l.startsWith("---")) && "font-semibold text-slate-400",
          )}
        >
          {l || " "}
        </div>
      ))}
    </pre>
  );
}

export function FileView({ text, testId }: { text: string; testId?: string }) {
  return (
    <pre className="max-h-[28rem] overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-200" data-testid={testId}>
      {text}
    </pre>
  );
}
