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
      if (
        url.pathname === "/v1/events" ||
        (url.pathname === "/v1/chat/completions" && body.includes('"stream":true'))
      ) {
        // An SSE stream in several writes, like a model's token stream.
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        const events = [
          { delta: "Hello ", owner: "alice@example.com" },
          { delta: "world", owner: "bob@example.com" },
        ];
        let i = 0;
        const tick = () => {
          const e = events[i++];
          if (!e) return res.end("data: [DONE]\n\n");
          res.write(`data: ${JSON.stringify(e)}\n\n`);
          setTimeout(tick, 5);
        };
        return tick();
      }
      if (url.pathname === "/v1/chat/completions") {
        return json(200, { id: "cmpl-1", choices: [{ message: { role: "assistant", content: "Hi" } }] });
      }
      if (url.pathname === "/v1/quota") return json(429, { error: { message: "rate limited" } });
      if (url.pathname === "/v1/files/report.pdf") {
        res.writeHead(200, {
          "content-type": "application/pdf",
          "content-disposition": 'attachment; filename="report.pdf"',
        });
        return res.end(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]));
      }
      if (url.pathname === "/v1/big") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end(Buffer.alloc(64 * 1024, 7));
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
