import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compilePathPattern,
  compileValueGlob,
  matchPathPattern,
} from "../../src/modules/policies/engine/patterns.js";

const seg = (path: string) => (path === "/" ? [] : path.slice(1).split("/"));
const matches = (pattern: string, path: string) => matchPathPattern(compilePathPattern(pattern), seg(path));

describe("path patterns (POLICY.md §2)", () => {
  it.each([
    ["/gmail/v1/users/me/messages/*", "/gmail/v1/users/me/messages/abc", true],
    ["/gmail/v1/users/me/messages/*", "/gmail/v1/users/me/messages/abc/attachments/x", false],
    ["/gmail/v1/users/me/messages/*", "/gmail/v1/users/me/messages", false],
    ["/drive/v3/**", "/drive/v3", true],
    ["/drive/v3/**", "/drive/v3/files", true],
    ["/drive/v3/**", "/drive/v3/files/a/b/c", true],
    ["/drive/v3/**", "/drive/v30", false],
    ["/drive/v3/**", "/drive", false],
    ["/**", "/", true],
    ["/**", "/anything/at/all", true],
    ["/", "/", true],
    ["/", "/x", false],
    ["/a/*/c", "/a/b/c", true],
    ["/a/*/c", "/a/c", false],
    ["/a/**/c", "/a/c", true],
    ["/a/**/c", "/a/b/x/c", true],
    ["/a/**/c", "/a/b/x/d", false],
    ["/a/**/c/**", "/a/x/c/y/c", true],
    ["/**/z", "/a/b/z", true],
    ["/a/*/*", "/a/b", false],
    ["/a/**/*/d", "/a/b/c/d", true],
    ["/a/**/*/d", "/a/d", false],
    ["/Gmail", "/gmail", false],
    ["/a/", "/a/", true],
    ["/a/", "/a", false],
    ["/a", "/a/", false],
    ["/a/*", "/a/", false],
    ["/a/**", "/a/", true],
    ["/files/%7Euser", "/files/~user", true],
    ["/files/a%3ab", "/files/a%3Ab", true],
  ])("%s ~ %s → %s", (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it("agrees with a reference regex translation (property)", () => {
    const segArb = fc.constantFrom("a", "b", "c");
    const patSeg = fc.constantFrom("a", "b", "*", "**");
    fc.assert(
      fc.property(fc.array(patSeg, { maxLength: 5 }), fc.array(segArb, { maxLength: 6 }), (pat, path) => {
        const pattern = `/${pat.join("/")}`;
        const re = new RegExp(
          `^${pat.map((p) => (p === "**" ? "(?:/[^/]+)*" : p === "*" ? "/[^/]+" : `/${p}`)).join("")}$`,
        );
        expect(matches(pattern, `/${path.join("/")}`)).toBe(re.test(path.map((s) => `/${s}`).join("")));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses invalid patterns", () => {
    for (const bad of ["a/b", "/a//b", "/a/../b", "/a*", "/a/b?x=1"]) {
      expect(() => compilePathPattern(bad), bad).toThrow();
    }
  });
});

describe("value globs", () => {
  it.each([
    ["media", "media", true],
    ["media", "Media", false],
    ["*", "", true],
    ["*", "anything", true],
    ["dry-*", "dry-run", true],
    ["dry-*", "dry-", true],
    ["dry-*", "wet-run", false],
    ["*@example.com", "ann@example.com", true],
    ["*@example.com", "ann@example.com.evil", false],
    ["a*b*c", "abc", true],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "acb", false],
    ["ab*ba", "aba", false],
    ["ab*ba", "abba", true],
    ["a.c", "abc", false],
    ["(x)*", "(x)yz", true],
  ])("%s ~ %s → %s", (glob, value, expected) => {
    expect(compileValueGlob(glob)(value)).toBe(expected);
  });

  it("agrees with a reference regex (property)", () => {
    const chars = fc.constantFrom("a", "b", "*");
    fc.assert(
      fc.property(
        fc.array(chars, { maxLength: 6 }),
        fc.array(fc.constantFrom("a", "b"), { maxLength: 8 }),
        (g, v) => {
          const glob = g.join("");
          const value = v.join("");
          const re = new RegExp(`^${glob.split("*").join(".*")}$`, "s");
          expect(compileValueGlob(glob)(value)).toBe(re.test(value));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("runs in linear time on adversarial values", () => {
    const started = performance.now();
    expect(compileValueGlob("*a*a*a*a*a*b")("a".repeat(100_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
