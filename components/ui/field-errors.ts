type Fields = { fieldErrors?: Record<string, string[] | undefined> } | null;
type ErrorData = { zodError?: Fields; details?: Fields | unknown };

/**
 * The per-field messages of a refused call, so a form can put each one beside its field: the
 * error formatter flattens zod errors into `data.zodError`, and sends a domain refusal's field
 * details (e.g. a setting outside its bounds, red below amber) in `data.details`.
 */
export function fieldErrors(error: { data?: unknown } | null | undefined) {
  const data = error?.data as ErrorData | undefined;
  const fields = { ...(data?.details as Fields)?.fieldErrors, ...data?.zodError?.fieldErrors };
  return { err: (key: string) => fields[key]?.[0], any: Object.keys(fields).length > 0 };
}
