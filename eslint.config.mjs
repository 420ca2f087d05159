// Lint: typescript-eslint's recommended rules plus the house's import boundaries (CODE_STYLE.md):
// arrows point one way, app → server → lib, workers → server → lib, components → lib.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const forbid = (patterns, message) => ({ group: patterns, message });
/** Files that may not import the given groups. */
const boundary = (scope, patterns) => ({ ...scope, rules: { "no-restricted-imports": ["error", { patterns }] } });

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".data/**", "drizzle/migrations/**", "next-env.d.ts", "bench/results/**", "docs/tenantos/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Non-null assertions mark facts the code has checked just before (a row that must exist).
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  boundary({ files: ["lib/**/*.ts"] }, [
    forbid(
      ["@/server/*", "@/app/*", "@/workers/*", "@/lab/*", "@/components/*", "@/bench/*", "@/drizzle/*"],
      "lib/ is pure: it imports nothing of the project outside lib/.",
    ),
    forbid(
      ["node:fs", "node:fs/*", "node:http", "node:https", "node:net", "node:child_process", "postgres", "drizzle-orm", "drizzle-orm/*", "ssh2"],
      "lib/ does no I/O.",
    ),
  ]),
  boundary({ files: ["server/connectors/**/*.ts"], ignores: ["**/*.test.ts"] }, [
    forbid(["@/server/services/*", "@/server/trpc/*", "@/app/*", "@/workers/*", "@/lab/*"], "a connector knows its protocol, not our tables or services."),
  ]),
  // The composition roots: the launcher starts the worker beside the web server, the demo entry starts the lab.
  boundary(
    { files: ["server/**/*.ts"], ignores: ["**/*.test.ts", "server/connectors/**", "server/boot/demo.ts", "server/boot/launch.ts", "server/testing/**"] },
    [
      forbid(
        ["@/workers/*", "@/lab/*", "@/app/*", "@/bench/*"],
        "server/ does not import workers, the app or the lab (only server/boot/demo.ts starts the demo lab).",
      ),
    ],
  ),
  boundary({ files: ["components/**/*.tsx", "components/**/*.ts"] }, [
    forbid(["@/workers/*", "@/lab/*", "@/app/*"], "components use lib/ and server types only."),
  ]),
);
