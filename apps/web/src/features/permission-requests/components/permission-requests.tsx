"use client";
import type { PermissionRequest } from "@agenthifive/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { SelectField } from "@/components/ui/field";
import { Card } from "@/components/ui/layout";
import { useConnections } from "@/features/connections/hooks/use-connections";
import { relativeTime } from "@/lib/format";
import {
  approvePermissionRequest,
  denyPermissionRequest,
  listPendingPermissionRequests,
  permissionRequestKeys,
} from "../api";

function RequestItem({ r }: { r: PermissionRequest }) {
  const qc = useQueryClient();
  const connections = useConnections();
  const active = (connections.data?.items ?? []).filter((c) => c.status === "active");
  const [connectionId, setConnectionId] = useState(r.connectionId ?? active[0]?.id ?? "");
  const [tier, setTier] = useState("standard");
  const done = () => qc.invalidateQueries({ queryKey: permissionRequestKeys.all });
  const approve = useMutation({
    mutationFn: () =>
      approvePermissionRequest(r.id, { connectionId: connectionId || (active[0]?.id ?? ""), tier }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["policies"] });
      return done();
    },
  });
  const deny = useMutation({ mutationFn: () => denyPermissionRequest(r.id), onSuccess: done });
  return (
    <li className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-700">
      <p>
        <strong>{r.agentName}</strong> asks for <code>{r.actionTemplateId}</code>{" "}
        <span className="text-xs text-zinc-500">{relativeTime(r.createdAt)}</span>
      </p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">“{r.reason}”</p>
      {active.length ? (
        <div className="grid gap-2 sm:grid-cols-[1fr_12rem_auto_auto] sm:items-end">
          <SelectField
            label="On connection"
            value={connectionId}
            onChange={(e) => setConnectionId(e.target.value)}
            options={active.map((c) => ({ value: c.id, label: `${c.label} (${c.provider})` }))}
          />
          <SelectField
            label="Preset tier"
            value={tier}
            onChange={(e) => setTier(e.target.value)}
            options={[
              { value: "strict", label: "Strict" },
              { value: "standard", label: "Standard" },
              { value: "permissive", label: "Permissive" },
            ]}
          />
          <Button busy={approve.isPending} onClick={() => approve.mutate()}>
            Grant
          </Button>
          <Button variant="danger" busy={deny.isPending} onClick={() => deny.mutate()}>
            Deny
          </Button>
        </div>
      ) : (
        <p className="text-sm">
          <Link className="text-indigo-600 underline" href="/connections">
            Connect an account
          </Link>{" "}
          first, then grant the request on it.
        </p>
      )}
      <ErrorAlert error={approve.error ?? deny.error} />
    </li>
  );
}

/** Agents asking for capabilities (API.md §3.12); hidden when none are pending or the API lacks it. */
export function PermissionRequests() {
  const q = useQuery({ queryKey: permissionRequestKeys.all, queryFn: listPendingPermissionRequests });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data?.length) return null;
  return (
    <Card title={`Capability requests (${q.data.length})`}>
      <ul className="space-y-3">
        {q.data.map((r) => (
          <RequestItem key={r.id} r={r} />
        ))}
      </ul>
    </Card>
  );
}
