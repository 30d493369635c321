"use client";
import type { Agent } from "@agenthifive/contracts";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorAlert } from "@/components/ui/feedback";
import { Badge, cell } from "@/components/ui/layout";
import { relativeTime } from "@/lib/format";
import type { BootstrapSecret } from "../api";
import {
  useDeleteAgent,
  useIssueBootstrapSecret,
  useRevokeAgentTokens,
  useSetAgentEnabled,
} from "../hooks/use-agents";
import { BootstrapSecretPanel } from "./bootstrap-secret-panel";

const TONE = { active: "green", created: "indigo", disabled: "zinc" } as const;

export function AgentRow({ agent: a }: { agent: Agent }) {
  const toggle = useSetAgentEnabled();
  const remove = useDeleteAgent();
  const revoke = useRevokeAgentTokens();
  const issue = useIssueBootstrapSecret();
  const [secret, setSecret] = useState<BootstrapSecret | null>(null);
  const [confirm, setConfirm] = useState(false);
  const error = toggle.error ?? remove.error ?? revoke.error ?? issue.error;
  return (
    <>
      <tr>
        <td className={cell}>
          <span className="font-medium">{a.name}</span>
          {a.description ? <div className="text-xs text-zinc-500">{a.description}</div> : null}
        </td>
        <td className={cell}>
          <Badge tone={TONE[a.status]}>{a.status === "created" ? "Waiting for enrollment" : a.status}</Badge>
        </td>
        <td className={`${cell} font-mono text-xs`} title={a.keyThumbprint ?? undefined}>
          {a.keyThumbprint ? `${a.keyThumbprint.slice(0, 16)}…` : "—"}
          {a.keyAlg ? <div className="text-zinc-500">{a.keyAlg}</div> : null}
        </td>
        <td className={cell}>{relativeTime(a.lastSeenAt)}</td>
        <td className={`${cell} whitespace-nowrap`}>
          <div className="flex flex-wrap gap-1">
            <Button
              variant="ghost"
              busy={issue.isPending}
              disabled={a.status === "disabled"}
              onClick={() => issue.mutate(a.id, { onSuccess: setSecret })}
            >
              {a.status === "created" ? "Bootstrap secret" : "Re-key"}
            </Button>
            <Button
              variant="ghost"
              busy={toggle.isPending}
              onClick={() => toggle.mutate({ id: a.id, enabled: a.status === "disabled" })}
            >
              {a.status === "disabled" ? "Enable" : "Disable"}
            </Button>
            <Button variant="ghost" busy={revoke.isPending} onClick={() => revoke.mutate(a.id)}>
              Revoke tokens
            </Button>
            <Button variant="ghost" className="text-red-600" onClick={() => setConfirm(true)}>
              Delete
            </Button>
          </div>
          {revoke.data ? (
            <p className="text-xs text-zinc-500">{revoke.data.revoked} token(s) revoked</p>
          ) : null}
          <ConfirmDialog
            open={confirm}
            title={`Delete agent “${a.name}”?`}
            confirmLabel="Delete agent"
            busy={remove.isPending}
            onCancel={() => setConfirm(false)}
            onConfirm={() => remove.mutate(a.id, { onSettled: () => setConfirm(false) })}
          >
            Its tokens, secrets, policies and pending requests are deleted. Audit records stay.
          </ConfirmDialog>
        </td>
      </tr>
      {secret || error ? (
        <tr>
          <td colSpan={5} className={cell}>
            <ErrorAlert error={error} />
            {secret ? <BootstrapSecretPanel agentName={a.name} secret={secret} /> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}
