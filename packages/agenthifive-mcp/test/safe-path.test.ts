import { lstatSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertSafeFileName, createConfinedFile, sanitizeFileName } from "../src/safe-path.js";

describe("file names for downloads", () => {
  it("refuses names that could leave the directory", () => {
    for (const bad of [
      "../x",
      "..",
      ".",
      "a/b",
      "a\\b",
      "/etc/passwd",
      "C:x",
      "~root",
      "nul",
      "a\u0000b",
      "",
    ]) {
      expect(() => assertSafeFileName(bad), JSON.stringify(bad)).toThrow(/Refused/);
    }
    expect(assertSafeFileName("report 2025.pdf")).toBe("report 2025.pdf");
  });

  it("reduces provider names to a plain file name", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("..\\..\\boot.ini")).toBe("boot.ini");
    expect(sanitizeFileName(".bashrc")).toBe("bashrc");
    expect(sanitizeFileName("a:b*c?.txt")).toBe("a_b_c_.txt");
    expect(sanitizeFileName(undefined)).toBe("download");
    expect(sanitizeFileName("x".repeat(500)).length).toBe(200);
  });

  it("never follows a planted symlink and never overwrites", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ah5-safe-"));
    const outside = join(mkdtempSync(join(tmpdir(), "ah5-out-")), "target.txt");
    symlinkSync(outside, join(dir, "link.txt"));
    writeFileSync(join(dir, "taken.txt"), "old");
    const a = await createConfinedFile(dir, "link.txt");
    await a.handle.close();
    expect(a.path).not.toBe(join(dir, "link.txt"));
    expect(lstatSync(a.path).isSymbolicLink()).toBe(false);
    const b = await createConfinedFile(dir, "taken.txt");
    await b.handle.close();
    expect(b.path).not.toBe(join(dir, "taken.txt"));
    expect((lstatSync(b.path).mode & 0o777).toString(8)).toBe("600");
  });
});
