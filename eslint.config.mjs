import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Only lib/server talks to the database (architecture rule 7).
const databaseImports = { group: ["**/db/generated/*", "@prisma/*", "pg"], message: "Only lib/server talks to the database." };

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      ".next-bench/**",
      "node_modules/**",
      ".data/**",
      "lib/server/db/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "tests/contract/generated/**",
    ],
  },
  {
    // The database client and process.env belong to lib/server (architecture rule 7).
    files: ["app/**", "components/**", "lib/domain/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [databaseImports] }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/server/env.ts." },
      ],
    },
  },
  {
    // Components may run in the browser: from lib/server they take types only (the form contract is lib/domain/form-state.ts).
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            databaseImports,
            {
              group: ["@/lib/server", "@/lib/server/**", "**/lib/server", "**/lib/server/**"],
              allowTypeImports: true,
              message: "Components import only types from lib/server; values come through props.",
            },
          ],
        },
      ],
    },
  },
  {
    // No module of lib/server reaches itself through its imports (folders: scripts/lint/folder-cycles.ts).
    files: ["lib/server/**"],
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Use cases take the request's metadata from the actor they are given (current-actor.ts reads it).
    files: ["lib/server/**"],
    ignores: ["lib/server/auth/current-actor.ts", "lib/server/auth/step-up-session.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "next/headers", message: "Read the request's metadata from the Actor (actor.request), not next/headers." }] },
      ],
    },
  },
  {
    // The domain core is pure: no framework, no I/O.
    files: ["lib/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["next", "next/*", "react", "react-dom", "@prisma/*", "pg", "node:fs", "node:fs/*", "**/server/**"],
              message: "lib/domain is pure TypeScript with no I/O.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
