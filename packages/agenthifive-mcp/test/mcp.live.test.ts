import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AgentHiFiveClient } from "@agenthifive/sdk";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHuman,
  createPat,
  type LiveApi,
  seedConnectionAndPolicy,
  startLiveApi,
} from "../../sdk/test/helpers/live-api.js";

/** The built server (the global setup runs `tsc -b`), started as a real subprocess over stdio. */
const MCP_BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

let api: LiveApi;
let admin: AgentHiFiveClient;
let connectionId: string;
let downloadDir: string;
let mcp: Client;
let keyFile: string;

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};
const call = async (name: string, args: Record<string, unknown> = {}) =>
  (await mcp.callTool({ name, arguments: args })) as ToolResult;
const textOf = (r: ToolResult) => r.content.map((c) => c.text ?? "").join("\n");

beforeAll(async () => {
  api = await startLiveApi();
  const human = await createHuman(api);
  admin = new AgentHiFiveClient({ baseUrl: api.url, token: await createPat(api, human) });
  const agent = await admin.agents.create({ name: "MCP agent" });
  ({ connectionId } = await seedConnectionAndPolicy(api, human, agent.id));
  const { bootstrapSecret } = await admin.agents.issueBootstrapSecret(agent.id);
  const dir = mkdtempSync(join(tmpdir(), "ah5-mcp-"));
  downloadDir = join(dir, "downloads");
  keyFile = join(dir, "agent-key.json");
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MCP_BIN],
    env: {
      PATH: process.env.PATH ?? "",
      AH5_API_URL: api.url,
      AH5_AGENT_KEY_FILE: keyFile,
      AH5_BOOTSTRAP_SECRET: bootstrapSecret,
      AH5_DOWNLOAD_DIR: downloadDir,
    },
    stderr: "pipe",
  });
  mcp = new Client({ name: "ah5-test-client", version: "1.0.0" });
  await mcp.connect(transport);
}, 90_000);
afterAll(async () => {
  await mcp?.close();
  await api?.stop();
});

describe("MCP server over stdio, driven by the official MCP client", () => {
  it("lists the vault tools", async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "download_file",
      "execute_request",
      "list_capabilities",
      "list_connections",
      "request_permission",
      "wait_for_approval",
    ]);
    const execute = tools.find((t) => t.name === "execute_request");
    expect(execute?.inputSchema.required).toEqual(expect.arrayContaining(["connectionId", "method", "url"]));
  });

  it("lists connections as the agent (bootstrapped from the secret)", async () => {
    const result = await call("list_connections");
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain(connectionId);
  });

  it("executes a brokered request", async () => {
    const result = await call("execute_request", {
      connectionId,
      method: "GET",
      url: `${api.upstream.origin}/v1/items`,
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      model: "B",
      status: 200,
      body: { items: [{ id: "a1" }] },
    });
  });

  it("reports approval-required with the id and how to wait, then succeeds after approval", async () => {
    const args = { connectionId, method: "POST", url: `${api.upstream.origin}/v1/echo`, body: { n: 1 } };
    const first = await call("execute_request", args);
    expect(first.isError).toBeFalsy();
    expect(first.structuredContent).toMatchObject({ approvalRequired: true });
    const approvalId = first.structuredContent?.approvalId as string;
    expect(textOf(first)).toContain(approvalId);
    expect(textOf(first)).toContain("wait_for_approval");

    setTimeout(() => void admin.approvals.approve(approvalId), 500);
    const waited = await call("wait_for_approval", { approvalId, timeoutSeconds: 20 });
    expect(waited.structuredContent).toMatchObject({ status: "approved" });
    const second = await call("execute_request", { ...args, approvalId });
    expect(second.structuredContent).toMatchObject({ status: 200, body: { method: "POST", body: { n: 1 } } });
  });

  it("a tool error carries the API's code and hint", async () => {
    const result = await call("execute_request", {
      connectionId,
      method: "DELETE",
      url: `${api.upstream.origin}/v1/items`,
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent?.code).toBeTruthy();
    expect(textOf(result)).toMatch(/What to do next: .+/);
  });

  it("lists capabilities and requests a permission that a person then sees", async () => {
    const caps = await call("list_capabilities");
    expect(caps.isError).toBeFalsy();
    expect(JSON.stringify(caps.structuredContent)).toContain("generic-api-key-http.delete");
    const result = await call("request_permission", {
      actionTemplateId: "generic-api-key-http.delete",
      connectionId,
      reason: "Clean up the items I created in the test",
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      status: "pending",
      actionTemplateId: "generic-api-key-http.delete",
    });
    const id = result.structuredContent?.id as string;
    const seen = await admin.permissionRequests.list({ status: "pending" });
    expect(seen.items.map((r) => r.id)).toContain(id);
    const duplicate = await call("request_permission", {
      actionTemplateId: "generic-api-key-http.delete",
      connectionId,
      reason: "again",
    });
    expect(duplicate.isError).toBe(true);
    expect(textOf(duplicate)).toMatch(/CONFLICT[\s\S]*What to do next/);
  });

  it("refuses a path-traversal file name before any request", async () => {
    const seen = api.upstream.seen.length;
    for (const fileName of ["../../evil.txt", "/etc/passwd", "a/../../b", "..", "C:\\x.txt"]) {
      const result = await call("download_file", {
        connectionId,
        url: `${api.upstream.origin}/v1/files/report.txt`,
        fileName,
      });
      expect(result.isError, fileName).toBe(true);
      expect(textOf(result)).toContain("Refused file name");
    }
    expect(api.upstream.seen.length).toBe(seen);
    expect(existsSync(join(dirname(downloadDir), "evil.txt"))).toBe(false);
  });

  it("downloads into the configured directory only", async () => {
    const result = await call("download_file", {
      connectionId,
      url: `${api.upstream.origin}/v1/files/report.txt`,
    });
    expect(result.isError).toBeFalsy();
    const path = result.structuredContent?.path as string;
    expect(dirname(path)).toBe(downloadDir);
    expect(readFileSync(path, "utf8")).toBe("quarterly numbers\n");
    const again = await call("download_file", {
      connectionId,
      url: `${api.upstream.origin}/v1/files/report.txt`,
      fileName: "report.txt",
    });
    expect(again.structuredContent?.path).not.toBe(path);
    expect(readdirSync(downloadDir)).toHaveLength(2);
  });
});

describe("MCP server over streamable HTTP (optional transport)", () => {
  it("serves the same tools statelessly on POST /mcp", async () => {
    const child = spawn(process.execPath, [MCP_BIN, "--transport", "http", "--port", "0"], {
      env: {
        PATH: process.env.PATH,
        AH5_API_URL: api.url,
        AH5_AGENT_KEY_FILE: keyFile,
        AH5_DOWNLOAD_DIR: downloadDir,
      },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = "";
        child.stderr.on("data", (d) => {
          err += d;
          const found = /streamable HTTP on (http:\/\/\S+)/.exec(err)?.[1];
          if (found) resolve(found);
        });
        child.once("exit", () => reject(new Error(err)));
      });
      const client = new Client({ name: "ah5-http-test", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(6);
      const result = (await client.callTool({ name: "list_connections", arguments: {} })) as ToolResult;
      expect(textOf(result)).toContain(connectionId);
      await client.close();
      const initialize = { jsonrpc: "2.0", id: 1, method: "tools/list" };
      const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
      const fromPage = await fetch(url, {
        method: "POST",
        headers: { ...headers, origin: "https://evil.example" },
        body: JSON.stringify(initialize),
      });
      expect(fromPage.status).toBe(403);
      // A DNS-rebound page reaches the loopback port with its own Host name.
      const target = new URL(url);
      const rebound = await new Promise<number | undefined>((resolve, reject) => {
        const req = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: "POST",
            headers: { ...headers, host: `evil.example:${target.port}` },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify(initialize));
      });
      expect(rebound).toBe(403);
    } finally {
      child.kill();
    }
  });
});
