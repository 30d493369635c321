"use client";
import type { Policy, PolicyDocumentInput } from "@agenthifive/contracts";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/feedback";
import { Badge } from "@/components/ui/layout";
import { formatDate } from "@/lib/format";
import { useCreatePolicy, useDeletePolicy, useReplacePolicy } from "../hooks/use-policies";
import { PolicyEditor } from "./policy-editor";
import { PolicyHistory } from "./policy-history";
import { PresetPicker } from "./preset-picker";
import { SimulatePanel } from "./simulate-panel";

const BLANK: PolicyDocumentInput = { version: 1, allowedModels: ["B"], defaultMode: "read_only" };

/** One (agent, connection) pair: presets when there is no policy, else the editor and simulator. */
export function PolicyPanel({
  agentId,
  connectionId,
  provider,
  service,
  origins,
  policy,
}: {
  agentId: string;
  connectionId: string;
  provider: string;
  service: string;
  origins: string[];
  policy?: Policy;
}) {
  const [custom, setCustom] = useState(false);
  const [draft, setDraft] = useState<unknown>(policy?.document ?? BLANK);
  const [saved, setSaved] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const create = useCreatePolicy();
  const replace = useReplacePolicy();
  const remove = useDeletePolicy();
  const initial = useMemo(
    () =>
      (policy?.document as PolicyDocumentInput | undefined) ??
      (origins.length
        ? { ...BLANK, allowlists: origins.map((origin) => ({ origin, paths: ["/**"], methods: ["GET"] })) }
        : BLANK),
    [policy, origins],
  );

  if (!policy && !custom) {
    return (
      <PresetPicker
        agentId={agentId}
        connectionId={connectionId}
        provider={provider}
        service={service}
        origins={origins}
        onCustom={() => setCustom(true)}
      />
    );
  }
  const firstOrigin = (draft as { allowlists?: { origin?: string }[] })?.allowlists?.[0]?.origin;
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
      <div className="space-y-3">
        {policy ? (
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone={policy.enabled ? "green" : "zinc"}>{policy.enabled ? "Enabled" : "Disabled"}</Badge>
            <span>
              Version {policy.version} · updated {formatDate(policy.updatedAt)}
              {policy.templateId ? ` · from preset ${policy.templateId}` : ""}
            </span>
            <Button
              variant="ghost"
              onClick={() =>
                replace.mutate({
                  id: policy.id,
                  version: policy.version,
                  document: policy.document as never,
                  enabled: !policy.enabled,
                })
              }
            >
              {policy.enabled ? "Disable" : "Enable"}
            </Button>
            <Button variant="ghost" className="text-red-600" onClick={() => setConfirm(true)}>
              Delete
            </Button>
          </div>
        ) : null}
        {saved ? <Notice tone="success">Policy saved.</Notice> : null}
        <PolicyEditor
          initial={initial}
          onDraftChange={setDraft}
          saving={create.isPending || replace.isPending}
          error={create.error ?? replace.error ?? remove.error}
          saveLabel={policy ? "Save new version" : "Create policy"}
          onSave={async (document) => {
            setSaved(false);
            if (policy) await replace.mutateAsync({ id: policy.id, version: policy.version, document });
            else await create.mutateAsync({ agentId, connectionId, document });
            setSaved(true);
          }}
        />
      </div>
      <div className="space-y-4">
        <SimulatePanel draft={draft} defaultUrl={firstOrigin ? `${firstOrigin}/` : undefined} />
        {policy ? <PolicyHistory policyId={policy.id} currentVersion={policy.version} /> : null}
      </div>
      {policy ? (
        <ConfirmDialog
          open={confirm}
          title="Delete this policy?"
          confirmLabel="Delete policy"
          busy={remove.isPending}
          onCancel={() => setConfirm(false)}
          onConfirm={() => remove.mutate(policy.id, { onSettled: () => setConfirm(false) })}
        >
          The agent loses access to this connection; pending approvals under it expire.
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
