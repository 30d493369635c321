import type { Agent } from "@agenthifive/contracts";
import type { AgentRow } from "./agents.repo.js";

export const keyAlgOf = (jwk: Record<string, string> | null): string | null =>
  !jwk ? null : jwk.kty === "OKP" ? "EdDSA" : "ES256";

export function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    iconUrl: row.iconUrl,
    status: row.status,
    keyThumbprint: row.keyThumbprint,
    keyAlg: keyAlgOf(row.publicJwk),
    enrolledAt: row.enrolledAt?.toISOString() ?? null,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
