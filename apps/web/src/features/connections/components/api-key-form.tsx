"use client";
import { CreateApiKeyConnectionRequestSchema } from "@agenthifive/contracts";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { SelectField, TextField } from "@/components/ui/field";
import type { CatalogEntry } from "../catalog";
import { useCreateApiKeyConnection } from "../hooks/use-connections";

type Input = z.input<typeof CreateApiKeyConnectionRequestSchema>;

/** Paste an API key or bot token: the API checks it with the provider, encrypts it, never returns it. */
export function ApiKeyForm({ entry, onDone }: { entry: CatalogEntry; onDone: (label: string) => void }) {
  const create = useCreateApiKeyConnection();
  const form = useForm<Input>({
    resolver: zodResolver(CreateApiKeyConnectionRequestSchema),
    defaultValues: {
      provider: entry.id,
      service: entry.services[0]?.id,
      label: "",
      secret: "",
      extra: Object.fromEntries(entry.extraFields.map((f) => [f.name, ""])),
    },
  });
  const { errors } = form.formState;
  const bot = entry.authTypes.includes("bot_token");

  const onSubmit = form.handleSubmit((values) => {
    const extra = Object.fromEntries(Object.entries(values.extra ?? {}).filter(([, v]) => v));
    create.mutate(
      { ...values, label: values.label || undefined, extra: Object.keys(extra).length ? extra : undefined },
      { onSuccess: (c) => onDone(c.label) },
    );
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={`Connect ${entry.label}`}>
      <TextField
        label="Label"
        placeholder={`${entry.label} (work)`}
        error={errors.label?.message}
        {...form.register("label")}
      />
      {entry.services.length > 1 ? (
        <SelectField
          label="Service"
          options={entry.services.map((s) => ({ value: s.id, label: s.label }))}
          {...form.register("service")}
        />
      ) : null}
      <TextField
        label={bot ? "Bot token" : "API key"}
        type="password"
        autoComplete="off"
        spellCheck={false}
        help="Stored encrypted. Agents never receive it."
        error={errors.secret?.message}
        {...form.register("secret")}
      />
      {entry.extraFields.map((f) => (
        <TextField
          key={f.name}
          label={`${f.label}${f.required ? "" : " (optional)"}`}
          required={f.required}
          {...form.register(`extra.${f.name}` as const, {
            validate: (v) => !f.required || Boolean(v) || `${f.label} is required`,
          })}
          error={(errors.extra as Record<string, { message?: string }> | undefined)?.[f.name]?.message}
        />
      ))}
      <ErrorAlert error={create.error} />
      <Button type="submit" busy={create.isPending}>
        Verify and save
      </Button>
    </form>
  );
}
