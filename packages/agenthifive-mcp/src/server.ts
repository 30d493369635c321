import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AgentHiFiveClient } from "@agenthifive/sdk";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { McpConfig } from "./config.js";
import { registerTools, type ToolContext } from "./tools.js";

export const SERVER_INFO = { name: "agenthifive", version: "0.1.0" };

/** An MCP server exposing the vault tools for one agent client. */
export function createMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions:
      "Tools for acting through the AgentHiFive vault. Start with list_connections. Provider credentials never reach you; the vault adds them. When a result says approval is required, call wait_for_approval, then resend the identical request with approvalId.",
  });
  registerTools(server, ctx);
  return server;
}

export function clientFromConfig(config: McpConfig): AgentHiFiveClient {
  return new AgentHiFiveClient({
    baseUrl: config.apiUrl,
    agent: { keyFile: config.keyFile, bootstrapSecret: config.bootstrapSecret },
    userAgent: "agenthifive-mcp/0.1.0",
  });
}

/** stdio: stdout carries the protocol only; diagnostics go to stderr. */
export async function serveStdio(config: McpConfig) {
  const ctx = {
    client: clientFromConfig(config),
    downloadDir: config.downloadDir,
    maxWaitSeconds: config.maxWaitSeconds,
  };
  const server = createMcpServer(ctx);
  await server.connect(new StdioServerTransport());
  return server;
}

/**
 * Streamable HTTP, stateless: one server and transport per POST /mcp. Binds to loopback by
 * default: anyone who can reach it acts as the agent.
 */
export async function serveHttp(config: McpConfig): Promise<Server> {
  const ctx = {
    client: clientFromConfig(config),
    downloadDir: config.downloadDir,
    maxWaitSeconds: config.maxWaitSeconds,
  };
  let port = config.port;
  const http = createServer(async (req, res) => {
    // DNS rebinding and drive-by requests from web pages: only our own Host names, and no
    // browser Origin at all (MCP clients do not send one).
    if (!isAllowedHost(req.headers.host, config.host, port) || req.headers.origin !== undefined) {
      res.writeHead(403, { "content-type": "application/json" }).end(
        JSON.stringify({
          jsonrpc: "2.0",
          error: { code: -32000, message: "Forbidden host or origin" },
          id: null,
        }),
      );
      return;
    }
    if (req.url !== "/mcp" || req.method !== "POST") {
      res
        .writeHead(req.url === "/mcp" ? 405 : 404, { "content-type": "application/json" })
        .end(
          JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "POST /mcp only" }, id: null }),
        );
      return;
    }
    const server = createMcpServer(ctx);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } catch (error) {
      process.stderr.write(`agenthifive-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  port = (http.address() as AddressInfo).port;
  process.stderr.write(`agenthifive-mcp: streamable HTTP on http://${config.host}:${port}/mcp\n`);
  return http;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

function isAllowedHost(hostHeader: string | undefined, bindHost: string, port: number): boolean {
  if (!hostHeader) return false;
  const loopback = LOOPBACK_NAMES.includes(bindHost) || bindHost === "::1";
  const names = loopback ? LOOPBACK_NAMES : [bindHost];
  return names.some((name) => hostHeader === `${name}:${port}`);
}
