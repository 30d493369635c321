"use client";
import { type CliLoginPending, patGrantableScopes, type Scope } from "@agenthifive/contracts";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, Notice } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import { Card } from "@/components/ui/layout";
import { useAccess } from "@/features/shell/hooks/use-access";
import { api } from "@/lib/api-client";
import { relativeTime } from "@/lib/format";

type Decision = { status: "approved" | "denied"; deviceName: string };

/**
 * `ah5 login` sends people here with the code it shows. Confirming is a POST with the scopes the
 * CLI's token gets (API.md §3.7); merely opening the page changes nothing.
 */
export function CliLoginConfirm() {
  const access = useAccess();
  const role = access.data?.roles[0] ?? "viewer";
  const grantable = patGrantableScopes(role);
  const [code, setCode] = useState(useSearchParams().get("code") ?? "");
  const [scopes, setScopes] = useState<Scope[] | null>(null);
  // Read-only unless the person ticks more: a phished code then yields as little as possible.
  const chosen = scopes ?? grantable.filter((s) => s.endsWith(":read"));
  // Looked up only once all eight letters are there: partial codes would flash "not found".
  const complete = code.replace(/[^A-Za-z]/g, "").length === 8;
  // Which device asked, and when: the person checks it is their own terminal, just now.
  const pending = useQuery({
    queryKey: ["cli-login", "pending", code.trim()],
    queryFn: () => api<CliLoginPending>(`/v1/cli/login/pending?userCode=${encodeURIComponent(code.trim())}`),
    enabled: complete,
    retry: false,
  });
  const toggle = (s: Scope) => setScopes(chosen.includes(s) ? chosen.filter((x) => x !== s) : [...chosen, s]);
  const decide = useMutation({
    mutationFn: (decision: "approve" | "deny") =>
      api<Decision>(`/v1/cli/login/${decision}`, {
        method: "POST",
        body: decision === "approve" ? { userCode: code.trim(), scopes: chosen } : { userCode: code.trim() },
      }),
  });
  if (decide.data) {
    return (
      <Card title="Command line sign-in">
        <Notice tone={decide.data.status === "approved" ? "success" : "info"}>
          {decide.data.status === "approved"
            ? `Signed in "${decide.data.deviceName}". You can close this page and go back to your terminal.`
            : `Refused "${decide.data.deviceName}". The command line gets no token.`}
        </Notice>
      </Card>
    );
  }
  return (
    <Card title="Command line sign-in">
      <form
        aria-label="Confirm a command line sign-in"
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          decide.mutate("approve");
        }}
      >
        <p className="text-sm">
          Only confirm a code that your own terminal shows right now. The command line gets a personal access
          token with the scopes below, valid for 90 days; you can revoke it in Settings.
        </p>
        <TextField
          label="Code shown by ah5 login"
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          required
          autoComplete="off"
          maxLength={9}
        />
        {pending.data ? (
          <Notice tone="info">
            {`"${pending.data.deviceName}" asked for this code ${relativeTime(pending.data.requestedAt)}. Confirm only if that is your terminal, right now.`}
          </Notice>
        ) : null}
        <ErrorAlert error={pending.error} />
        <fieldset>
          <legend className="mb-1 text-sm font-medium">Scopes</legend>
          <div className="grid gap-1 sm:grid-cols-3">
            {grantable.map((s) => (
              <label key={s} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={chosen.includes(s)} onChange={() => toggle(s)} />
                {s}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="flex gap-2">
          <Button type="submit" busy={decide.isPending} disabled={!pending.data || chosen.length === 0}>
            Sign in the command line
          </Button>
          <Button
            type="button"
            variant="danger"
            disabled={decide.isPending || code.trim().length < 8}
            onClick={() => decide.mutate("deny")}
          >
            This was not me
          </Button>
        </div>
        <ErrorAlert error={decide.error} />
      </form>
    </Card>
  );
}
