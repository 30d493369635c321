import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as connectors from "../src/index.js";

/**
 * Runs the README's example as written, so the documentation cannot drift from the API. Its
 * import becomes a destructuring of this package and console.log is captured to check what its
 * comments promise. It is async (top-level await in the README) and needs no network.
 */
describe("README example", () => {
  it("runs and prints what its comments say", async () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const body = (block ?? "").replace(
      /import\s*\{([^}]*)\}\s*from\s*"@agenthifive\/oauth-connectors";/,
      "const {$1} = connectors;",
    );
    expect(body).not.toMatch(/\bimport\b/);
    const logs: unknown[] = [];
    const console = { log: (value: unknown) => logs.push(value) };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction("connectors", "console", body)(connectors, console);
    expect(logs).toEqual([
      ["microsoft", "github"],
      ["https://graph.microsoft.com"],
      { ok: true, scopes: ["Mail.Read", "Mail.Send"] },
      "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
      "offline_access User.Read Mail.Read",
      "S256",
      ["x-api-key"],
    ]);
  });
});
