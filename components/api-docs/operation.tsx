"use client";

import { clsx } from "clsx";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";

export type Operation = {
  method: string;
  path: string;
  summary: string;
  tag: string;
  parameters: { name: string; in: string; required?: boolean; description?: string; schema?: unknown }[];
  body: unknown;
  response: unknown;
};

const METHOD_TONE: Record<string, string> = { GET: "bg-sky-100 text-sky-800", POST: "bg-emerald-100 text-emerald-800" };

const schemaText = (s: unknown) => JSON.stringify(s, null, 2);

/** One operation, folded: its schemas, and "try it" with the reader's own session (same origin, so CSP and the Origin check allow it). */
export function ApiOperation({ op }: { op: Operation }) {
  const t = useTranslations("apiDocs");
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [body, setBody] = useState("{}");
  const [answer, setAnswer] = useState<{ status: number; text: string } | null>(null);

  const send = async () => {
    let path = op.path;
    const query = new URLSearchParams();
    for (const p of op.parameters) {
      const v = values[p.name];
      if (!v) continue;
      if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(v));
      else query.set(p.name, v);
    }
    const res = await fetch(`/api/v1${path}${query.size ? `?${query}` : ""}`, {
      method: op.method,
      headers: op.method === "GET" ? {} : { "content-type": "application/json" },
      body: op.method === "GET" ? undefined : body,
    });
    const text = await res.text();
    let shown = text;
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // a streamed log is lines of JSON, shown as they came
    }
    setAnswer({ status: res.status, text: shown });
  };

  return (
    <div className="rounded-md bg-white ring-1 ring-slate-200" data-testid="api-operation">
      <button type="button" className="flex w-full items-center gap-3 px-3 py-2 text-left" onClick={() => setOpen(!open)}>
        <span
          className={clsx("w-14 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold", METHOD_TONE[op.method] ?? "bg-slate-100 text-slate-700")}
        >
          {op.method}
        </span>
        <code className="font-mono text-sm text-slate-900">/api/v1{op.path}</code>
        <span className="truncate text-sm text-slate-500">{op.summary}</span>
      </button>
      {open ? (
        <div className="grid gap-4 border-t border-slate-100 p-3 lg:grid-cols-2">
          <div className="space-y-3 text-sm">
            {op.parameters.length ? (
              <div>
                <h3 className="mb-1 text-xs font-semibold text-slate-600">{t("parameters")}</h3>
                <ul className="space-y-1">
                  {op.parameters.map((p) => (
                    <li key={`${p.in}-${p.name}`} className="flex items-center gap-2">
                      <code className="w-40 shrink-0 font-mono text-xs">
                        {p.name}
                        <span className="text-slate-400"> ({p.in})</span>
                        {p.required ? <span className="text-rose-600"> *</span> : null}
                      </code>
                      <Input
                        className="py-1"
                        value={values[p.name] ?? ""}
                        onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}
                        aria-label={p.name}
                      />
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {op.body ? (
              <div>
                <h3 className="mb-1 text-xs font-semibold text-slate-600">{t("body")}</h3>
                <textarea
                  className="h-28 w-full rounded-md p-2 font-mono text-xs ring-1 ring-slate-300"
                  value={body}
                  onChange={(e) => setBody(e.target.value)}
                />
                <details>
                  <summary className="cursor-pointer text-xs text-slate-500">schema</summary>
                  <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs">{schemaText(op.body)}</pre>
                </details>
              </div>
            ) : null}
            <div className="flex items-center gap-3">
              <Button variant="primary" onClick={() => void send()} data-testid="api-try">
                {t("send")}
              </Button>
              <span className="text-xs text-slate-500">{t("tryHint")}</span>
            </div>
          </div>
          <div className="space-y-2 text-sm">
            {answer ? (
              <pre className="max-h-80 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100" data-testid="api-answer">
                {answer.status}
                {"\n"}
                {answer.text}
              </pre>
            ) : null}
            {op.response ? (
              <details>
                <summary className="cursor-pointer text-xs font-semibold text-slate-600">{t("response")}</summary>
                <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs">{schemaText(op.response)}</pre>
              </details>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
