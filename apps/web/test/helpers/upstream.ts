import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A small local "provider" on loopback, reached by the vault through VAULT_DEV_ALLOW_HOSTS. */
export async function startUpstream(): Promise<{
  origin: string;
  host: string;
  calls: string[];
  close(): Promise<void>;
}> {
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      calls.push(`${req.method} ${req.url}`);
      res.setHeader("content-type", "application/json");
      if (req.method === "GET") res.end(JSON.stringify({ items: [{ id: 1, owner: "ada@example.com" }] }));
      else res.end(JSON.stringify({ received: body ? JSON.parse(body) : null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
