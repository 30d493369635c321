import { describe, expect, it } from "vitest";
import { AppError } from "../src/lib/errors.js";

describe("AppError", () => {
  it("a refusal (4xx) carries no stack frames; a server error (5xx) keeps them for the log", () => {
    const refusal = new AppError("POLICY_DENIED", "Denied.");
    expect(refusal.status).toBe(403);
    expect(refusal.stack ?? "").not.toMatch(/\n\s+at /);
    const fault = new AppError("INTERNAL", "Broken.");
    expect(fault.status).toBe(500);
    expect(fault.stack).toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBeGreaterThan(0); // restored
    expect(new Error("plain").stack).toMatch(/\n\s+at /);
  });

  it("keeps its wire fields", () => {
    const e = new AppError("RATE_LIMITED", "Slow down.", { headers: { "retry-after": "3" } });
    expect(e).toMatchObject({
      code: "RATE_LIMITED",
      status: 429,
      message: "Slow down.",
      hint: expect.any(String),
      headers: { "retry-after": "3" },
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("AppError");
  });
});
