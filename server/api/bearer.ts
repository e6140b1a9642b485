/** The secret of an `Authorization: Bearer …` header (an API token), or null. Light on imports: the workers' /metrics uses it too. */
export const bearerOf = (headers: Headers) => {
  const m = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "");
  return m ? m[1]! : null;
};
