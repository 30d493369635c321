#!/usr/bin/env node
// `npm run build`: compile every workspace (tsc -b, incremental), then bundle the API server into
// one file. Node then loads one module graph instead of ~1,000 files at start: start-to-ready on
// PostgreSQL drops from about 2 s to under 1.5 s (bench/README.md).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The bundled API server; `node apps/api/dist/bundle/main.js` runs it. */
export const API_SERVER = join(root, "apps/api/dist/bundle/main.js");

export async function build({ quiet = false } = {}) {
  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b"], {
    cwd: root,
    stdio: "inherit",
  });
  if (tsc.status !== 0) throw new Error("tsc -b failed");
  const { build: bundle } = await import("rolldown");
  await bundle({
    input: join(root, "apps/api/dist/main.js"),
    platform: "node",
    // Packages that find files next to their own modules (__dirname, import.meta.url) stay
    // normal dependencies: PGlite's WebAssembly (only without DATABASE_URL), the OpenAPI UI's
    // static files (only with OPENAPI_ENABLED), pino's worker threads.
    external: [/^@electric-sql\/pglite/, /^@fastify\/swagger/, /^pino(\/|$)/, /^thread-stream/],
    logLevel: quiet ? "silent" : "warn",
    // The bundle sits at the same depth as dist/db/: relative paths (migrations) still resolve.
    // A source map beside it: `NODE_OPTIONS=--enable-source-maps` gives stack traces and CPU
    // profiles in TypeScript terms (no cost without the flag).
    output: { dir: join(root, "apps/api/dist/bundle"), format: "esm", cleanDir: true, sourcemap: true },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  build().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
