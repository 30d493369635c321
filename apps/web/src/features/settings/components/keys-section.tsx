"use client";
import { useQuery } from "@tanstack/react-query";
import { QueryState } from "@/components/ui/feedback";
import { Card, cell, Table } from "@/components/ui/layout";
import { useAccess } from "@/features/shell/hooks/use-access";
import { api } from "@/lib/api-client";
import { formatDate } from "@/lib/format";

interface KeyStatus {
  signing: { kid: string; alg: string; status: string; activatedAt: string; notAfter: string | null }[];
  encryption: { activeKid: string; configuredKids: string[]; pendingReencryption: Record<string, number> };
}

/** Signing and encryption key status (ids and dates only); owners and admins. */
export function KeysSection() {
  const access = useAccess();
  const role = access.data?.roles[0];
  const canSee = role === "owner" || role === "admin";
  const status = useQuery({
    queryKey: ["security-keys"],
    queryFn: () => api<KeyStatus>("/v1/security/keys"),
    enabled: canSee,
  });
  if (!canSee) return null;
  return (
    <Card title="Keys">
      <QueryState query={status}>
        {(s) => {
          const pending = Object.values(s.encryption.pendingReencryption).reduce((a, b) => a + b, 0);
          return (
            <div className="space-y-4">
              <Table
                caption="JWT signing keys"
                head={["Key id", "Algorithm", "State", "Active since", "Valid until"]}
              >
                {s.signing.map((k) => (
                  <tr key={k.kid}>
                    <td className={`${cell} font-mono text-xs`}>{k.kid}</td>
                    <td className={cell}>{k.alg}</td>
                    <td className={cell}>{k.status}</td>
                    <td className={cell}>{formatDate(k.activatedAt)}</td>
                    <td className={cell}>{k.notAfter ? formatDate(k.notAfter) : "—"}</td>
                  </tr>
                ))}
              </Table>
              <p className="text-sm">
                Secrets are encrypted with key <span className="font-mono">{s.encryption.activeKid}</span>
                {s.encryption.configuredKids.length > 1
                  ? ` (also readable: ${s.encryption.configuredKids.filter((k) => k !== s.encryption.activeKid).join(", ")})`
                  : ""}
                .{" "}
                {pending === 0
                  ? "Every stored secret of this workspace uses it."
                  : `${pending} stored secret${pending === 1 ? "" : "s"} of this workspace still wait for re-encryption; keep the old key until this reaches 0.`}
              </p>
            </div>
          );
        }}
      </QueryState>
    </Card>
  );
}
