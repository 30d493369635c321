import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A small local stand-in for a provider API, recording what it received. */
export async function startProviderUpstream() {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const url = new URL(req.url ?? "/", "http://x");
      const json = (status: number, value: unknown, extra: Record<string, string> = {}) => {
        res.writeHead(status, {
          "content-type": "application/json",
          "set-cookie": "session=upstream",
          ...extra,
        });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === "/v1/items") {
        return json(200, {
          items: [{ id: "a1", owner: "alice@example.com", note: "call +14155552671" }],
          next: null,
        });
      }
      if (url.pathname === "/v1/echo")
        return json(200, { method: req.method, body: body ? JSON.parse(body) : null });
      if (url.pathname === "/v1/missing") return json(404, { error: "not_found" });
      if (url.pathname === "/v1/text") {
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end("plain words");
      }
      if (url.pathname === "/v1/redirect-metadata") {
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
        return res.end();
      }
      json(404, { error: "no route" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
