"use client";
import type { PolicyDocument, PolicyDocumentInput } from "@agenthifive/contracts";
import { useEffect, useMemo } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { type PolicyForm, policyResolver, toDocument, toForm, validatedDocument } from "../form-model";
import { AllowlistFields } from "./allowlist-fields";
import { Field, input, Section } from "./editor-parts";
import { LimitsFields, TimeWindowsFields } from "./limits-fields";
import { RequestRulesFields } from "./request-rules-fields";
import { ResponseRulesFields } from "./response-rules-fields";

export interface PolicyEditorProps {
  initial: PolicyDocumentInput;
  onSave: (doc: PolicyDocument) => void | Promise<void>;
  /** Called with the current (unvalidated) document on every change, e.g. for the simulator. */
  onDraftChange?: (doc: PolicyDocumentInput) => void;
  saving?: boolean;
  error?: unknown;
  saveLabel?: string;
}

/** Structured editor for a policy document; validation is the API's own schema (see form-model). */
export function PolicyEditor({
  initial,
  onSave,
  onDraftChange,
  saving,
  error,
  saveLabel = "Save policy",
}: PolicyEditorProps) {
  const defaults = useMemo(() => toForm(initial), [initial]);
  const form = useForm<PolicyForm>({ resolver: policyResolver, defaultValues: defaults, mode: "onSubmit" });
  const { control, register, formState } = form;
  const errors = formState.errors;
  const values = useWatch({ control });

  useEffect(() => form.reset(defaults), [defaults, form]);
  useEffect(() => {
    if (onDraftChange) onDraftChange(toDocument({ ...defaults, ...values } as PolicyForm));
  }, [values, onDraftChange, defaults]);

  const submit = form.handleSubmit((v) => onSave(validatedDocument(v)));
  const rootError = (errors as { root?: { message?: string } }).root?.message;

  return (
    <form onSubmit={submit} noValidate aria-label="Policy editor" className="space-y-4">
      <Section title="Basics">
        <div className="grid gap-3 sm:grid-cols-3">
          <div>
            <span className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">
              Execution models
            </span>
            <label className="mr-4 inline-flex items-center gap-2 text-sm">
              <input type="checkbox" className="h-4 w-4" {...register("modelB")} /> B: through the vault
            </label>
            <label className="inline-flex items-center gap-2 text-sm">
              <input type="checkbox" className="h-4 w-4" {...register("modelA")} /> A: short-lived token
            </label>
            {errors.modelB?.message ? (
              <p role="alert" className="mt-1 text-xs text-red-600">
                {errors.modelB.message}
              </p>
            ) : null}
          </div>
          <Field label="Default mode" htmlFor="defaultMode" error={errors.defaultMode?.message}>
            <select id="defaultMode" className={input} {...register("defaultMode")}>
              <option value="read_only">Read only (GET/HEAD allowed)</option>
              <option value="read_write">Read and write</option>
              <option value="custom">Custom (deny unless a rule allows)</option>
            </select>
          </Field>
          <Field label="When no rule matches" htmlFor="defaultAction" error={errors.defaultAction?.message}>
            <select id="defaultAction" className={input} {...register("defaultAction")}>
              <option value="">Follow the default mode</option>
              <option value="allow">Allow</option>
              <option value="require_approval">Ask a human</option>
              <option value="deny">Deny</option>
            </select>
          </Field>
        </div>
      </Section>
      <AllowlistFields control={control} register={register} errors={errors} />
      <RequestRulesFields control={control} register={register} errors={errors} />
      <ResponseRulesFields control={control} register={register} errors={errors} />
      <TimeWindowsFields control={control} register={register} errors={errors} />
      <LimitsFields register={register} errors={errors} />
      {rootError ? (
        <p role="alert" className="text-sm text-red-600">
          {rootError}
        </p>
      ) : null}
      {Object.keys(errors).length ? (
        <p role="alert" className="text-sm text-red-600" data-testid="policy-invalid">
          The policy has problems; see the highlighted fields.
        </p>
      ) : null}
      <ErrorAlert error={error} />
      <Button type="submit" busy={saving || formState.isSubmitting}>
        {saveLabel}
      </Button>
    </form>
  );
}
