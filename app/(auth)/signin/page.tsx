import { getTranslations } from "next-intl/server";
import { Logo } from "@/components/shell/logo";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { SignInForm } from "@/components/shell/sign-in-form";
import { oidcProvider } from "@/server/auth/oidc";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const t = await getTranslations("signin");
  const { callbackUrl } = await searchParams;
  // Only local paths: an absolute URL here would let a link send people elsewhere after sign-in.
  const target = callbackUrl && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <div className="flex min-h-screen items-center justify-center bg-slate-900 px-4">
      <div className="w-full max-w-sm rounded-xl bg-white p-7 shadow-xl">
        <div className="mb-5 flex items-center justify-between">
          <div>
            <div className="flex items-center gap-2 text-2xl font-semibold">
              <Logo size={36} /> Hedwig
            </div>
            <div className="text-sm text-slate-500">{t("tagline")}</div>
          </div>
          <LocaleSwitch />
        </div>
        <SignInForm callbackUrl={target} directory={oidcProvider().length > 0 ? (process.env.HEDWIG_OIDC_NAME ?? "Directory") : null} />
      </div>
    </div>
  );
}
