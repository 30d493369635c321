import { fileURLToPath } from "node:url";
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources of the workspace packages (the "@agenthifive/source"
// export condition), so `npm test` never depends on a previous build. Only that condition is
// added: an extra "import" condition would make CommonJS dependencies load ESM builds.
const sourceCondition = "@agenthifive/source";

export default defineConfig({
  resolve: {
    conditions: [sourceCondition, ...defaultClientConditions],
    // The dashboard's `@/…` imports (apps/web/tsconfig.json paths), for its component tests.
    alias: [{ find: /^@\//, replacement: fileURLToPath(new URL("./apps/web/src/", import.meta.url)) }],
  },
  ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["apps/api/test/global-setup.ts"],
  },
});
