"use client";
import { CreateAgentRequestSchema } from "@agenthifive/contracts";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import { Card } from "@/components/ui/layout";
import type { BootstrapSecret } from "../api";
import { useCreateAgent, useIssueBootstrapSecret } from "../hooks/use-agents";
import { BootstrapSecretPanel } from "./bootstrap-secret-panel";

type Input = z.input<typeof CreateAgentRequestSchema>;

/** Create → immediately issue the one-time bootstrap secret and show the setup commands. */
export function CreateAgentForm() {
  const create = useCreateAgent();
  const issue = useIssueBootstrapSecret();
  const [issued, setIssued] = useState<{ name: string; secret: BootstrapSecret } | null>(null);
  const form = useForm<Input>({
    resolver: zodResolver(CreateAgentRequestSchema),
    defaultValues: { name: "", description: "" },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    setIssued(null);
    const agent = await create.mutateAsync({
      name: values.name,
      description: values.description || undefined,
    });
    const secret = await issue.mutateAsync(agent.id);
    setIssued({ name: agent.name, secret });
    form.reset();
  });
  return (
    <Card title="Create an agent">
      <form
        onSubmit={(e) => void onSubmit(e).catch(() => undefined)}
        noValidate
        className="grid gap-3 sm:grid-cols-2"
      >
        <TextField label="Name" error={form.formState.errors.name?.message} {...form.register("name")} />
        <TextField
          label="Description (optional)"
          error={form.formState.errors.description?.message}
          {...form.register("description")}
        />
        <div className="sm:col-span-2">
          <ErrorAlert error={create.error ?? issue.error} />
          <Button type="submit" busy={form.formState.isSubmitting} className="mt-2">
            Create agent
          </Button>
        </div>
      </form>
      {issued ? (
        <div className="mt-4">
          <BootstrapSecretPanel agentName={issued.name} secret={issued.secret} />
        </div>
      ) : null}
    </Card>
  );
}
