// ESLint (flat config): rules that find real problems, none that only restyle (Prettier formats).
import path from "node:path";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const SERVER_MODULE = /^(@\/server\/|(\.\.?\/)+server\/|server-only$)/;

/**
 * Server modules that a form shares with the API: plain data and zod schemas, no I/O. Client
 * components may import these; "hedwig/shared-stays-pure" keeps them free of anything else.
 */
const SHARED = [
  "server/domain/bounds",
  "server/domain/provisioning/request-schema",
  "server/domain/metrics/resolution",
  "server/domain/monitoring/traffic/limits",
];
const isShared = (source) => SHARED.some((m) => source.replace(/\.tsx?$/, "").endsWith(m));

/**
 * A client component ("use client") is shipped to the browser: it must not import a server module
 * (the database, secrets, executors). Types are erased, so `import type` stays allowed; pages reach
 * the server through tRPC.
 */
const noServerInClient = {
  meta: {
    type: "problem",
    schema: [],
    messages: { server: "a client component must not import the server module {{source}}: call it through tRPC, or import only its types" },
  },
  create(context) {
    const isClient = context.sourceCode.ast.body.some((s) => s.type === "ExpressionStatement" && s.directive === "use client");
    if (!isClient) return {};
    const typeOnly = (node) => node.importKind === "type" || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === "type"));
    const check = (node, source) => {
      if (typeof source === "string" && SERVER_MODULE.test(source) && !isShared(source)) context.report({ node, messageId: "server", data: { source } });
    };
    return {
      ImportDeclaration: (node) => typeOnly(node) || check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && node.exportKind !== "type" && check(node, node.source.value),
      ImportExpression: (node) => node.source.type === "Literal" && check(node, node.source.value),
    };
  },
};

/** A shared module (SHARED) imports only zod and Prisma's enums, so a client that imports it pulls in nothing of the server. */
const sharedStaysPure = {
  meta: {
    type: "problem",
    schema: [],
    messages: { impure: "{{source}} is not allowed here: this module is shared with client components (eslint.config.mjs SHARED)" },
  },
  create(context) {
    if (!isShared(context.filename)) return {};
    return {
      ImportDeclaration: (node) => {
        const source = node.source.value;
        // a relative import is judged by the file it names
        const named = source.startsWith(".") ? path.relative(process.cwd(), path.resolve(path.dirname(context.filename), source)) : source;
        if (node.importKind === "type" || source === "zod" || source.endsWith("generated/prisma/enums") || isShared(named)) return;
        context.report({ node, messageId: "impure", data: { source } });
      },
    };
  },
};

export default tseslint.config(
  { ignores: ["generated/**", ".next/**", "node_modules/**", ".data/**", "prisma/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,mjs}"],
    plugins: { hedwig: { rules: { "no-server-in-client": noServerInClient, "shared-stays-pure": sharedStaysPure } } },
    rules: {
      "hedwig/no-server-in-client": "error",
      "hedwig/shared-stays-pure": "error",
      // `_name` marks what is unused on purpose (a destructured field left out of a rest object)
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // React lives in the pages and components only (Playwright's fixtures also have a `use`).
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "trpc/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
    settings: { next: { rootDir: "." } },
  },
);
