import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { AgentHiFiveClient, VaultModelBResult } from "@agenthifive/sdk";
import { approvalRequired, ok } from "./results.js";
import { assertSafeFileName, createConfinedFile, sanitizeFileName } from "./safe-path.js";

function envelopeBytes(r: VaultModelBResult): Buffer {
  if (r.bodyBase64 !== undefined) return Buffer.from(r.bodyBase64, "base64");
  if (typeof r.body === "string") return Buffer.from(r.body, "utf8");
  return Buffer.from(JSON.stringify(r.body ?? null), "utf8");
}

/**
 * `download_file`: a Model B GET with `download: true`, written into the download directory only.
 * A model-chosen name is validated before any request is sent; a provider-chosen name is reduced
 * to a plain file name. Provider errors are reported, never saved as the file.
 */
export async function downloadFile(
  client: AgentHiFiveClient,
  downloadDir: string,
  args: { connectionId: string; url: string; fileName?: string | undefined; approvalId?: string | undefined },
) {
  const chosen = args.fileName === undefined ? undefined : assertSafeFileName(args.fileName);
  const result = await client.vault.download({
    model: "B",
    connectionId: args.connectionId,
    method: "GET",
    url: args.url,
    ...(args.approvalId ? { approvalId: args.approvalId } : {}),
  });
  if (result.kind === "approval_required") return approvalRequired(result.approval);
  const urlName = new URL(args.url).pathname.split("/").pop();
  if (result.kind === "envelope") {
    const r = result.result;
    if (r.status < 200 || r.status >= 300) {
      return ok(`The provider answered ${r.status}; nothing was saved.`, { saved: false, status: r.status });
    }
    const name = chosen ?? sanitizeFileName(urlName);
    const { path, handle } = await createConfinedFile(downloadDir, name);
    const bytes = envelopeBytes(r);
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    return ok(`Saved ${bytes.length} bytes to ${path}.`, {
      saved: true,
      path,
      bytes: bytes.length,
      auditId: r.auditId,
    });
  }
  const name = chosen ?? sanitizeFileName(result.fileName ?? urlName);
  const { path, handle } = await createConfinedFile(downloadDir, name);
  let bytes = 0;
  try {
    const source = Readable.fromWeb(result.body as unknown as NodeReadableStream<Uint8Array>);
    source.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    await pipeline(source, handle.createWriteStream());
  } finally {
    await handle.close().catch(() => undefined);
  }
  return ok(`Saved ${bytes} bytes to ${path}.`, {
    saved: true,
    path,
    bytes,
    auditId: result.auditId ?? null,
  });
}
