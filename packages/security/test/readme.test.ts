import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as security from "../src/index.js";

/**
 * Runs the README's example as written, so the documentation cannot drift from the API. The
 * example is plain JavaScript-compatible TypeScript; its import becomes a destructuring of this
 * package, and console.log is captured to check the results its comments promise.
 */
describe("README example", () => {
  it("runs and prints what its comments say", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const body = (block ?? "").replace(
      /import\s*\{([^}]*)\}\s*from\s*"@agenthifive\/security";/,
      "const {$1} = security;",
    );
    expect(body).not.toMatch(/\bimport\b/);
    const logs: unknown[] = [];
    const console = { log: (value: unknown) => logs.push(value) };
    new Function("security", "console", body)(security, console);
    expect(logs).toEqual([
      { refreshToken: "1//0g-example" },
      "ERR_DECRYPT_FAILED",
      { refreshToken: "1//0g-example" },
      "k2",
      true,
    ]);
  });
});
