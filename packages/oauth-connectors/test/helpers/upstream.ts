import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { FetchLike } from "../../src/index.js";

export interface UpstreamRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface UpstreamAnswer {
  status?: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface Upstream {
  origin: string;
  requests: UpstreamRequest[];
  /** The catalog URLs the code under test asked for, before the rewrite. */
  asked: string[];
  /** A fetch that sends any https catalog URL to this server instead (same path and query). */
  fetch: FetchLike;
  close(): Promise<void>;
}

/**
 * A tiny local HTTP server standing in for a provider (OpenAI, Telegram, Slack's token
 * endpoint…). The code under test keeps using the catalog's https URLs; only the injected fetch
 * rewrites the origin, so the tests also prove which URL the package chose.
 */
export async function startUpstream(answer: (request: UpstreamRequest) => UpstreamAnswer): Promise<Upstream> {
  const requests: UpstreamRequest[] = [];
  const asked: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(request);
      const reply = answer(request);
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? "");
      const type = reply.json !== undefined ? { "content-type": "application/json" } : {};
      res.writeHead(reply.status ?? 200, { ...type, ...reply.headers }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    asked,
    fetch: (url, init) => {
      asked.push(url);
      const target = new URL(url);
      return fetch(`${origin}${target.pathname}${target.search}`, init);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
