import { Writable } from "node:stream";
import type { FastifyBaseLogger } from "fastify";
import { describe, expect, it, vi } from "vitest";
import { createLogger } from "../src/lib/logger.js";
import { lazyRequestLogger } from "../src/lib/request-logger.js";

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger(level, sink) as unknown as FastifyBaseLogger };
}
const settle = () => new Promise((r) => setImmediate(r));

describe("the per-request logger", () => {
  it("builds no child for lines below the level, and writes the others with the request id", async () => {
    const { lines, logger } = capture("warn");
    const child = vi.spyOn(logger, "child");
    const log = lazyRequestLogger(logger, { requestId: "req-1" }, {});
    log.info("not written");
    log.debug({ a: 1 }, "not written either");
    expect(child).not.toHaveBeenCalled();
    log.warn({ body: { token: "s3cret" }, n: 2 }, "written");
    log.error("also written");
    await settle();
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      expect.objectContaining({ requestId: "req-1", n: 2, body: { token: "[redacted]" }, msg: "written" }),
      expect.objectContaining({ requestId: "req-1", msg: "also written" }),
    ]);
  });

  it("follows the parent's level, and a route's own level gets a real child at once", async () => {
    const { lines, logger } = capture("warn");
    const log = lazyRequestLogger(logger, { requestId: "req-2" }, {});
    expect(log.level).toBe("warn");
    logger.level = "info";
    log.info("now written");
    const quiet = lazyRequestLogger(logger, { requestId: "req-3" }, { level: "error" });
    quiet.warn("below the route's level");
    expect(quiet.level).toBe("error");
    log.child({ step: "x" }).info("from a grandchild");
    await settle();
    expect(lines.map((l) => [l.requestId, l.msg])).toEqual([
      ["req-2", "now written"],
      ["req-2", "from a grandchild"],
    ]);
  });
});
