"use client";
import { CreateOAuthAppRequestSchema } from "@agenthifive/contracts";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorAlert, Notice, QueryState } from "@/components/ui/feedback";
import { SelectField, TextField } from "@/components/ui/field";
import { Card, cell, Table } from "@/components/ui/layout";
import { api, idempotencyKey } from "@/lib/api-client";
import { isApiError } from "@/lib/api-error";

const KEY = ["oauth-apps"];

interface OAuthApp {
  id: string;
  provider: string;
  label: string;
  clientId: string;
  tenantId: string | null;
  redirectUri: string;
}
interface Listing {
  items: OAuthApp[];
  platformProviders: string[];
}

async function listApps(): Promise<Listing | null> {
  try {
    return await api<Listing>("/v1/oauth-apps", { query: { limit: 200 } });
  } catch (e) {
    if (isApiError(e) && e.status === 404) return null;
    throw e;
  }
}

type Input = z.input<typeof CreateOAuthAppRequestSchema>;

/** Bring your own OAuth client per provider (API.md §3.3); the client secret is write-only. */
export function OAuthAppsSection({ providers }: { providers: { id: string; label: string }[] }) {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: listApps });
  const form = useForm<Input>({
    resolver: zodResolver(CreateOAuthAppRequestSchema),
    defaultValues: { provider: providers[0]?.id ?? "", label: "", clientId: "", clientSecret: "" },
  });
  const create = useMutation({
    mutationFn: (body: Input) =>
      api<OAuthApp>("/v1/oauth-apps", {
        method: "POST",
        body,
        headers: { "idempotency-key": idempotencyKey() },
      }),
    onSuccess: () => {
      form.reset();
      return qc.invalidateQueries({ queryKey: KEY });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/v1/oauth-apps/${id}`, { method: "DELETE" }),
    onSettled: () => qc.invalidateQueries({ queryKey: KEY }),
  });
  const errors = form.formState.errors;
  return (
    <Card title="OAuth apps (bring your own client)">
      <QueryState
        query={q}
        empty={(d) => (d === null ? <Notice>This API version does not offer OAuth apps yet.</Notice> : null)}
      >
        {(d) => (
          <div className="space-y-4">
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Platform apps available for:{" "}
              {d?.platformProviders.length ? d.platformProviders.join(", ") : "none"}.
            </p>
            {d?.items.length ? (
              <Table caption="OAuth apps" head={["App", "Client id", "Redirect URI to register", ""]}>
                {d.items.map((a) => (
                  <tr key={a.id}>
                    <td className={cell}>
                      {a.label}
                      <div className="text-xs text-zinc-500">{a.provider}</div>
                    </td>
                    <td className={`${cell} font-mono text-xs`}>{a.clientId}</td>
                    <td className={`${cell} font-mono text-xs`}>
                      <span className="break-all">{a.redirectUri}</span> <CopyButton text={a.redirectUri} />
                    </td>
                    <td className={cell}>
                      <Button variant="ghost" className="text-red-600" onClick={() => remove.mutate(a.id)}>
                        Delete
                      </Button>
                    </td>
                  </tr>
                ))}
              </Table>
            ) : null}
            <ErrorAlert error={remove.error} />
            <form
              noValidate
              aria-label="Add an OAuth app"
              className="grid gap-3 sm:grid-cols-2"
              onSubmit={form.handleSubmit((v) => create.mutate({ ...v, tenantId: v.tenantId || undefined }))}
            >
              <SelectField
                label="Provider"
                options={providers.map((p) => ({ value: p.id, label: p.label }))}
                {...form.register("provider")}
              />
              <TextField label="App label" error={errors.label?.message} {...form.register("label")} />
              <TextField label="Client id" error={errors.clientId?.message} {...form.register("clientId")} />
              <TextField
                label="Client secret"
                type="password"
                autoComplete="off"
                help="Stored encrypted; never shown again."
                error={errors.clientSecret?.message}
                {...form.register("clientSecret")}
              />
              <TextField label="Tenant id (Microsoft, optional)" {...form.register("tenantId")} />
              <div className="flex items-end">
                <Button type="submit" busy={create.isPending}>
                  Add OAuth app
                </Button>
              </div>
              <div className="sm:col-span-2">
                <ErrorAlert error={create.error} />
              </div>
            </form>
          </div>
        )}
      </QueryState>
    </Card>
  );
}
