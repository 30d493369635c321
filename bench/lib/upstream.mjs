// A tiny provider stand-in and a bare pass-through proxy, each run as its own process so the
// API, the upstream and the load generator do not share an event loop.
import { createServer } from "node:http";

const role = process.argv[2];
const port = Number(process.argv[3]);

if (role === "upstream") {
  const payload = JSON.stringify({
    items: [{ id: "a1", title: "hello", owner: "ann@example.com" }],
    next: null,
  });
  createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(payload);
    });
  }).listen(port, "127.0.0.1", () => process.send?.("ready"));
} else if (role === "bare-proxy") {
  const { default: Fastify } = await import("fastify");
  const { Pool } = await import("undici");
  const target = process.argv[4];
  const pool = new Pool(target, { connections: 64 });
  const app = Fastify();
  app.get("/*", async (req, reply) => {
    const upstream = await pool.request({
      method: "GET",
      path: req.url,
      headers: { authorization: "Bearer sk-bench" },
    });
    const body = await upstream.body.text();
    reply.status(upstream.statusCode).header("content-type", "application/json").send(body);
  });
  await app.listen({ port, host: "127.0.0.1" });
  process.send?.("ready");
}
