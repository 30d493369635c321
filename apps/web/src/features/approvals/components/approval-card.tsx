"use client";
import type { Approval } from "@agenthifive/contracts";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { controlClass } from "@/components/ui/field";
import { Badge, type BadgeTone } from "@/components/ui/layout";
import { formatDate, relativeTime } from "@/lib/format";
import { useDecideApproval } from "../hooks/use-approvals";

interface RequestShape {
  method?: string;
  host?: string;
  path?: string;
  queryKeys?: string[];
  bodySha256?: string;
  bodyPreview?: unknown;
  /** Headers the agent sends along (credential-like values hidden by the API). */
  headers?: Record<string, string>;
}

const TONE: Record<Approval["status"], BadgeTone> = {
  pending: "amber",
  approved: "green",
  denied: "red",
  expired: "zinc",
  consumed: "indigo",
};

function preview(body: unknown): string {
  if (body === undefined || body === null) return "";
  const text = typeof body === "string" ? body : JSON.stringify(body, null, 2);
  return text.length > 2048 ? `${text.slice(0, 2048)}…` : text;
}

export function ApprovalCard({
  approval: a,
  connectionLabel,
}: {
  approval: Approval;
  connectionLabel?: string;
}) {
  const decide = useDecideApproval();
  const [note, setNote] = useState("");
  const noteId = useId();
  const r = a.request as RequestShape;
  const body = preview(r.bodyPreview);
  const pending = a.status === "pending";
  return (
    <article
      aria-label={`Approval request from ${a.agentName}`}
      data-testid="approval-card"
      data-status={a.status}
      className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold">
            {a.agentName} wants to call {connectionLabel ?? "a connection"}
          </h2>
          <p className="text-xs text-zinc-500">
            {relativeTime(a.createdAt)} · expires {formatDate(a.expiresAt)} · policy v{a.policyVersion} ·
            model {a.model}
          </p>
        </div>
        <Badge tone={TONE[a.status]}>{a.status}</Badge>
      </header>
      <p className="mt-3 break-all font-mono text-sm">
        <strong>{r.method ?? "?"}</strong> {r.host}
        {r.path}
        {r.queryKeys?.length ? <span className="text-zinc-500">?{r.queryKeys.join("&")}</span> : null}
      </p>
      <p className="mt-2 text-sm">
        <span className="text-zinc-500">Why: </span>
        {a.reason}
        {a.ruleId ? (
          <>
            {" "}
            <span className="text-zinc-500">(rule</span> <code>{a.ruleId}</code>
            <span className="text-zinc-500">)</span>
          </>
        ) : null}
      </p>
      {r.headers && Object.keys(r.headers).length ? (
        <p className="mt-2 break-all font-mono text-xs text-zinc-600 dark:text-zinc-400">
          <span className="font-sans">Headers sent along (not part of what you approve): </span>
          {Object.entries(r.headers)
            .map(([name, value]) => `${name}: ${value}`)
            .join(" · ")}
        </p>
      ) : null}
      {body ? (
        <details className="mt-2">
          <summary className="cursor-pointer text-sm text-zinc-600 dark:text-zinc-400">
            Request body (redacted preview)
          </summary>
          <pre className="mt-1 max-h-64 overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950">
            {body}
          </pre>
        </details>
      ) : null}
      {pending ? (
        <div className="mt-3 space-y-2">
          <label htmlFor={noteId} className="block text-sm font-medium">
            Comment (optional)
          </label>
          <textarea
            id={noteId}
            maxLength={500}
            rows={2}
            className={controlClass}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <div className="flex gap-2">
            <Button
              busy={decide.isPending && decide.variables?.decision === "approve"}
              disabled={decide.isPending}
              onClick={() => decide.mutate({ id: a.id, decision: "approve", note: note || undefined })}
            >
              Approve
            </Button>
            <Button
              variant="danger"
              busy={decide.isPending && decide.variables?.decision === "deny"}
              disabled={decide.isPending}
              onClick={() => decide.mutate({ id: a.id, decision: "deny", note: note || undefined })}
            >
              Deny
            </Button>
          </div>
          <ErrorAlert error={decide.error} />
        </div>
      ) : a.decidedAt ? (
        <p className="mt-2 text-xs text-zinc-500">
          Decided {formatDate(a.decidedAt)}
          {a.decisionChannel ? ` via ${a.decisionChannel}` : ""}
          {a.consumedAt ? ` · used ${formatDate(a.consumedAt)}` : ""}
        </p>
      ) : null}
    </article>
  );
}
