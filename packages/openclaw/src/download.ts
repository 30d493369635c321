import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * A file name the provider (or the model) chose, made safe to create inside the download
 * directory: no directories, no leading dots, no control or reserved characters, bounded length.
 */
export function safeFileName(name: string | undefined, fallback = "download"): string {
  const base = basename((name ?? "").replaceAll("\\", "/"));
  const cleaned = base
    .normalize("NFC")
    .replace(/[<>:"/\\|?*]/g, "_")
    .replace(/\p{Cc}/gu, "_")
    .replace(/^[.\s]+/, "")
    .trim()
    .slice(0, 128);
  return cleaned || fallback;
}

/** Saves a stream (or bytes) into `dir` under a fresh name (never overwrites), file mode 0600. */
export async function saveDownload(dir: string, name: string, body: ReadableStream<Uint8Array> | Uint8Array) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.partial-${randomBytes(6).toString("hex")}`);
  try {
    const source =
      body instanceof Uint8Array
        ? Readable.from([body])
        : Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
    await pipeline(source, createWriteStream(temp, { flags: "wx", mode: 0o600 }));
    const dot = name.lastIndexOf(".");
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    for (let i = 0; i < 1000; i++) {
      const candidate = join(dir, i === 0 ? name : `${stem} (${i})${ext}`);
      try {
        // rename would replace an existing file, so claim the name with an exclusive create first.
        const handle = await open(candidate, "wx", 0o600);
        await handle.close();
        await rename(temp, candidate);
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    throw new Error("Too many files with that name in the download directory.");
  } finally {
    await rm(temp, { force: true });
  }
}
