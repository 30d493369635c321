import type { AuditEvent, Page } from "@agenthifive/contracts";
import { getAccess } from "@/lib/access-token";
import { api, withQuery } from "@/lib/api-client";
import { toApiError } from "@/lib/api-error";

export interface AuditFilters {
  agentId?: string;
  connectionId?: string;
  action?: string;
  decision?: "allow" | "deny" | "require_approval";
  from?: string;
  to?: string;
  requestId?: string;
}

export interface ChainStatus {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  brokenAt?: { seq: number; id: string };
}

export const auditKeys = {
  all: ["audit"] as const,
  list: (f: AuditFilters) => ["audit", "list", f] as const,
  verify: () => ["audit", "verify"] as const,
};

export const listAudit = (f: AuditFilters, cursor?: string) =>
  api<Page<AuditEvent>>("/v1/audit", { query: { ...f, cursor, limit: 50 } });

export const verifyChain = () => api<ChainStatus>("/v1/audit/verify");

/**
 * The export is a Bearer-authenticated download (the session cookie is not accepted on /v1), so
 * it is fetched and handed to the browser as a blob with the server's file name.
 */
export async function downloadAuditExport(f: AuditFilters, format: "csv" | "ndjson"): Promise<string> {
  const { accessToken } = await getAccess();
  const res = await fetch(withQuery("/v1/audit/export", { ...f, format }), {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => null));
  const disposition = res.headers.get("content-disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `audit.${format}`;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
