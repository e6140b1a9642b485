type ZodData = { zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null };

/**
 * The per-field messages of a refused call (the error formatter flattens zod errors into
 * `data.zodError`), so a form can put each one beside its field.
 */
export function fieldErrors(error: { data?: unknown } | null | undefined) {
  const fields = (error?.data as ZodData | undefined)?.zodError?.fieldErrors ?? {};
  return { err: (key: string) => fields[key]?.[0], any: Object.keys(fields).length > 0 };
}
