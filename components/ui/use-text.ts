"use client";

import { useTranslations } from "next-intl";
import { renderText, type Text, type Translator } from "@/lib/text";

/**
 * Renders what the server stored for a person in the page's language: a text code with its
 * parameters (lib/text.ts), or — a row from before texts were codes, a foreign system's words — the string as it is.
 * Columns holding a text arrive as JSON, hence `unknown`.
 */
export function useText() {
  const t = useTranslations() as unknown as Translator;
  return (v: unknown, fallback?: string | null): string =>
    v && typeof v === "object" ? renderText(t, v as Text) : typeof v === "string" ? v : (fallback ?? "");
}
