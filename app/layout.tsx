import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import { HydrationMark } from "@/components/shell/hydration-mark";
import { TRPCReactProvider } from "@/trpc/client";
import "./globals.css";

export const metadata: Metadata = { title: "Hedwig", description: "Self-service NoSQL platform", icons: { icon: "/favicon.svg" } };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale === "zh" ? "zh-CN" : "en"}>
      <body>
        <NextIntlClientProvider>
          <TRPCReactProvider>{children}</TRPCReactProvider>
          <HydrationMark />
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
