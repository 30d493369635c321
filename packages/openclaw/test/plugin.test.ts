import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import plugin, {
  type AgentTool,
  type OpenClawPluginApi,
  PluginConfigError,
  parsePluginConfig,
  safeFileName,
  saveDownload,
} from "../src/index.js";

const manifest = JSON.parse(readFileSync(new URL("../openclaw.plugin.json", import.meta.url), "utf8"));
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

const missingKey = join(mkdtempSync(join(tmpdir(), "ah5-nokey-")), "agent-key.json");

/** Records what the plugin registers; the real loader is exercised in openclaw-loader.live.test.ts. */
function recordingApi(pluginConfig: Record<string, unknown> | undefined) {
  const tools: AgentTool[] = [];
  const hooks: Array<{ name: string; handler: (e: unknown, c: unknown) => Promise<unknown> }> = [];
  const services: string[] = [];
  const logs: string[] = [];
  const api: OpenClawPluginApi = {
    id: "agenthifive",
    pluginConfig,
    logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    registerTool: (tool) => tools.push(tool),
    registerService: (s) => services.push(s.id),
    on: (name, handler) => hooks.push({ name, handler }),
  };
  return { api, tools, hooks, services, logs };
}

describe("plugin registration", () => {
  it("registers exactly the tools its manifest declares, the prompt hook and the renewal service", () => {
    const r = recordingApi({ apiUrl: "http://127.0.0.1:9", keyFile: missingKey });
    plugin.register(r.api);
    expect(r.tools.map((t) => t.name).sort()).toEqual([...manifest.contracts.tools].sort());
    expect(r.hooks.map((h) => h.name)).toEqual(["before_prompt_build"]);
    expect(r.services).toEqual(["agenthifive-token-renewal"]);
    expect(manifest.id).toBe(plugin.id);
    expect(pkg.openclaw.extensions).toEqual(["./dist/index.js"]);
    for (const tool of r.tools)
      expect(tool.parameters).toMatchObject({ type: "object", additionalProperties: false });
  });

  it("skips the prompt context when the vault cannot be reached, without failing the turn", async () => {
    const r = recordingApi({ apiUrl: "http://127.0.0.1:9", keyFile: missingKey });
    plugin.register(r.api);
    expect(await r.hooks[0]?.handler({}, {})).toBeUndefined();
    expect(r.logs.join("\n")).toContain("could not list connections");
    // The plugin never creates a key of its own.
    expect(existsSync(missingKey)).toBe(false);
  });

  it("without a config, the tools explain how to set it up", async () => {
    const r = recordingApi(undefined);
    plugin.register(r.api);
    expect(r.tools).toHaveLength(6);
    const result = await r.tools[0]?.execute("1", {});
    expect(result?.details).toMatchObject({ ok: false, error: "NOT_CONFIGURED" });
    expect(result?.content[0]?.text).toContain("openclaw-setup");
  });

  it("a tool refuses a connection outside the configured list before any call", async () => {
    const r = recordingApi({
      apiUrl: "http://127.0.0.1:9",
      keyFile: missingKey,
      connections: ["0190f4c2-0000-7000-8000-000000000001"],
    });
    plugin.register(r.api);
    const execute = r.tools.find((t) => t.name === "agenthifive_execute");
    const result = await execute?.execute("1", {
      connectionId: "0190f4c2-0000-7000-8000-000000000002",
      method: "GET",
      url: "https://example.com/",
    });
    expect(result?.details).toMatchObject({ ok: false, error: "CONNECTION_NOT_USABLE" });
  });
});

describe("plugin config", () => {
  it("keeps references only and refuses secrets in the OpenClaw config", () => {
    expect(parsePluginConfig({ apiUrl: "https://vault.example/", keyFile: "/k.json" })).toMatchObject({
      apiUrl: "https://vault.example",
      keyFile: "/k.json",
      injectContext: true,
      tokenRenewalSeconds: 60,
    });
    expect(() => parsePluginConfig({ apiUrl: "https://v.example", keyFile: "/k", privateKey: {} })).toThrow(
      PluginConfigError,
    );
    expect(() => parsePluginConfig({ apiUrl: "http://vault.example", keyFile: "/k" })).toThrow(/https/);
    expect(() => parsePluginConfig({ apiUrl: "https://v.example" })).toThrow(/keyFile/);
  });
});

describe("downloads", () => {
  it("reduces provider file names to a plain name", () => {
    expect(safeFileName("../../etc/passwd")).toBe("passwd");
    expect(safeFileName("..\\..\\boot.ini")).toBe("boot.ini");
    expect(safeFileName(".bashrc")).toBe("bashrc");
    expect(safeFileName("a\u0000b:c.txt")).toBe("a_b_c.txt");
    expect(safeFileName("..")).toBe("download");
    expect(safeFileName(undefined)).toBe("download");
  });

  it("never overwrites and writes 0600", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ah5-dl-")), "d");
    const first = await saveDownload(dir, "r.txt", new TextEncoder().encode("one"));
    const second = await saveDownload(dir, "r.txt", new TextEncoder().encode("two"));
    expect(first).toBe(join(dir, "r.txt"));
    expect(second).toBe(join(dir, "r (1).txt"));
    expect(readFileSync(first, "utf8")).toBe("one");
    expect(statSync(second).mode & 0o777).toBe(0o600);
  });
});
