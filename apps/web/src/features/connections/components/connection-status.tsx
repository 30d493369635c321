import type { Connection } from "@agenthifive/contracts";
import { Badge, type BadgeTone } from "@/components/ui/layout";

const TONES: Record<Connection["status"], BadgeTone> = {
  active: "green",
  needs_reauth: "amber",
  error: "red",
  revoked: "zinc",
};
const LABELS: Record<Connection["status"], string> = {
  active: "Active",
  needs_reauth: "Needs reconnect",
  error: "Error",
  revoked: "Revoked",
};

export function ConnectionStatus({ status }: { status: Connection["status"] }) {
  return <Badge tone={TONES[status]}>{LABELS[status]}</Badge>;
}
