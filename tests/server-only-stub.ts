// `server-only` throws outside a React server build; tests import domain code directly.
export {};
