import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AppError } from "../src/lib/errors.js";
import { readBody } from "../src/modules/vault/steps/read-body.js";

describe("readBody", () => {
  it("collects a body up to the limit", async () => {
    expect((await readBody(Readable.from([Buffer.from("ab"), Buffer.from("cd")]), 4)).toString()).toBe(
      "abcd",
    );
  });

  it("fails RESPONSE_TOO_LARGE past the limit, never cutting the body", async () => {
    await expect(readBody(Readable.from([Buffer.from("abc"), Buffer.from("de")]), 4)).rejects.toMatchObject({
      code: "RESPONSE_TOO_LARGE",
    });
  });

  it("passes a transport error (already ours) on, and makes any other one PROVIDER_ERROR", async () => {
    const ours = new Readable({ read() {} });
    const pendingOurs = readBody(ours, 100);
    ours.destroy(new AppError("PROVIDER_UNAVAILABLE", "reset"));
    await expect(pendingOurs).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE", message: "reset" });
    const raw = new Readable({ read() {} });
    const pendingRaw = readBody(raw, 100);
    raw.destroy(new Error("incorrect header check"));
    await expect(pendingRaw).rejects.toMatchObject({ code: "PROVIDER_ERROR", hint: expect.any(String) });
  });

  it("fails PROVIDER_UNAVAILABLE when the body is destroyed before its end without an error", async () => {
    const body = new Readable({ read() {} });
    body.push("partial");
    const pending = readBody(body, 100);
    setImmediate(() => body.destroy());
    await expect(pending).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
  });
});
