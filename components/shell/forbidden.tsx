import { getTranslations } from "next-intl/server";

export async function Forbidden({ roles }: { roles: readonly string[] }) {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto mt-16 max-w-md rounded-lg bg-white p-6 text-center shadow-sm ring-1 ring-slate-200" data-testid="forbidden">
      <div className="text-4xl">⛔</div>
      <h1 className="mt-2 text-lg font-semibold">{t("forbiddenTitle")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("forbiddenBody", { roles: roles.join(" / ") })}</p>
    </div>
  );
}
