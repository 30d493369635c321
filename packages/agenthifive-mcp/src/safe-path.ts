import { randomUUID } from "node:crypto";
import { mkdir, open, realpath } from "node:fs/promises";
import { basename, isAbsolute, join, relative, sep } from "node:path";

export class UnsafeFileNameError extends Error {
  override readonly name = "UnsafeFileNameError";
}

const MAX_NAME_BYTES = 200;
// Control characters and characters that are path or shell syntax on some platform.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const UNSAFE_CHAR = /[\u0000-\u001f\u007f<>:"|?*\\/]/;
const UNSAFE_CHARS = new RegExp(UNSAFE_CHAR.source, "g");
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * Checks a file name chosen by the model (a tool argument). Anything that could name a path —
 * separators, `..`, absolute paths, drive letters, control characters — is refused outright
 * rather than "fixed", so the model learns that it cannot steer where files go.
 */
export function assertSafeFileName(name: string): string {
  const trimmed = name.trim();
  if (
    trimmed === "" ||
    trimmed === "." ||
    trimmed === ".." ||
    trimmed.includes("/") ||
    trimmed.includes("\\") ||
    trimmed.includes("..") ||
    isAbsolute(trimmed) ||
    /^[a-zA-Z]:/.test(trimmed) ||
    trimmed.startsWith("~") ||
    UNSAFE_CHAR.test(trimmed) ||
    WINDOWS_RESERVED.test(trimmed) ||
    Buffer.byteLength(trimmed) > MAX_NAME_BYTES
  ) {
    throw new UnsafeFileNameError(
      "Refused file name: use a plain name without directories, '..', control characters or reserved names.",
    );
  }
  return trimmed;
}

/**
 * Turns a name from a provider (`Content-Disposition`) into a plain file name: last path
 * segment only, unsafe characters replaced, leading dots removed, length capped.
 */
export function sanitizeFileName(name: string | undefined, fallback = "download"): string {
  const last = basename((name ?? "").replace(/\\/g, "/"));
  let clean = last.replace(UNSAFE_CHARS, "_").replace(/^\.+/, "").trim();
  if (WINDOWS_RESERVED.test(clean)) clean = `_${clean}`;
  while (Buffer.byteLength(clean) > MAX_NAME_BYTES) clean = clean.slice(0, -1);
  return clean === "" ? fallback : clean;
}

/**
 * Opens a new file for writing strictly inside `dir` (created 0700 if missing). The name must
 * already be safe; the resolved path is checked against the real directory, and the file is
 * created exclusively (`wx`: never overwrites, never follows a planted symlink). An existing name
 * gets a unique suffix.
 */
export async function createConfinedFile(dir: string, fileName: string) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const root = await realpath(dir);
  const safe = assertSafeFileName(fileName);
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = attempt === 0 ? safe : suffixed(safe, randomUUID().slice(0, 8));
    const path = join(root, candidate);
    const rel = relative(root, path);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.includes(sep)) {
      throw new UnsafeFileNameError("Refused file name: it resolves outside the download directory.");
    }
    try {
      return { path, handle: await open(path, "wx", 0o600) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  throw new UnsafeFileNameError("Could not find a free file name in the download directory.");
}

function suffixed(name: string, suffix: string) {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? `${name.slice(0, dot)}-${suffix}${name.slice(dot)}` : `${name}-${suffix}`;
}
