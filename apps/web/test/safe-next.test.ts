import { describe, expect, it } from "vitest";
import { safeNextPath } from "../src/features/auth/safe-next";

/** `?next=` after sign-in: a dashboard path or the fallback, never another origin. */
describe("safe ?next=", () => {
  it.each([
    ["/connections", "/connections"],
    ["/approvals?status=pending#top", "/approvals?status=pending#top"],
    ["/a/../policies", "/policies"],
  ])("keeps the dashboard path %s", (next, expected) => {
    expect(safeNextPath(next, "/overview")).toBe(expected);
  });

  it.each([
    null,
    "",
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "evil.example",
    "javascript:alert(1)",
  ])("refuses %j", (next) => {
    expect(safeNextPath(next, "/overview")).toBe("/overview");
  });
});
