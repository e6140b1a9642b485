import { getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import { ApiOperation, type Operation } from "@/components/api-docs/operation";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { openApiDocument } from "@/server/api/rest";
import { missingRole, requireActor } from "@/server/auth/page-guard";

/**
 * The /api/v1 reference, rendered from the OpenAPI document itself (no third-party renderer, so
 * nothing needs more than the console's CSP): each operation with its parameters, body and answer
 * schemas, and a form to try it with the reader's own session.
 */
export default async function ApiDocsPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/api-docs");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("apiDocs");
  const h = await headers();
  const doc = openApiDocument(`${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost"}`);
  const ops: Operation[] = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, unknown>)
      .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map(([method, op]) => {
        const o = op as {
          summary?: string;
          tags?: string[];
          parameters?: unknown[];
          requestBody?: { content?: Record<string, { schema?: unknown }> };
          responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
        };
        return {
          method: method.toUpperCase(),
          path,
          summary: o.summary ?? "",
          tag: o.tags?.[0] ?? "other",
          parameters: (o.parameters ?? []) as Operation["parameters"],
          body: o.requestBody?.content?.["application/json"]?.schema ?? null,
          response: Object.values(o.responses?.["200"]?.content ?? {})[0]?.schema ?? null,
        };
      }),
  );
  const tags = [...new Set(ops.map((o) => o.tag))];
  return (
    <>
      <PageHeader
        title={t("title")}
        subtitle={t("subtitle")}
        actions={
          <a className="text-sm font-medium text-indigo-600 hover:underline" href="/api/v1/openapi.json" data-testid="openapi-link">
            {t("document")}
          </a>
        }
      />
      <p className="mb-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200">{t("auth")}</p>
      {tags.map((tag) => (
        <section key={tag} className="mb-6">
          <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">{tag}</h2>
          <div className="space-y-2">
            {ops
              .filter((o) => o.tag === tag)
              .map((o) => (
                <ApiOperation key={`${o.method} ${o.path}`} op={o} />
              ))}
          </div>
        </section>
      ))}
    </>
  );
}
