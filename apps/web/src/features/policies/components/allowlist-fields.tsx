"use client";
import { type Control, type FieldErrors, type UseFormRegister, useFieldArray } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { emptyAllowlist, type PolicyForm } from "../form-model";
import { Field, input, itemBox, Section } from "./editor-parts";

export function AllowlistFields({
  control,
  register,
  errors,
}: {
  control: Control<PolicyForm>;
  register: UseFormRegister<PolicyForm>;
  errors: FieldErrors<PolicyForm>;
}) {
  const { fields, append, remove } = useFieldArray({ control, name: "allowlists" });
  return (
    <Section
      title="Allowlist"
      description="What the agent may reach at all (Model B). Anything else is refused before any rule runs."
      actions={
        <Button variant="secondary" onClick={() => append(emptyAllowlist())}>
          Add origin
        </Button>
      }
    >
      {fields.length === 0 ? <p className="text-sm text-zinc-500">Nothing is reachable yet.</p> : null}
      {fields.map((f, i) => {
        const e = errors.allowlists?.[i];
        return (
          <div key={f.id} className={`${itemBox} grid gap-2 sm:grid-cols-3`} data-testid="allowlist-entry">
            <Field label="Origin" htmlFor={`al-${i}-origin`} error={e?.origin?.message}>
              <input id={`al-${i}-origin`} className={input} {...register(`allowlists.${i}.origin`)} />
            </Field>
            <Field label="Paths (one per line)" htmlFor={`al-${i}-paths`} error={e?.paths?.message}>
              <textarea
                id={`al-${i}-paths`}
                rows={2}
                className={input}
                {...register(`allowlists.${i}.paths`)}
              />
            </Field>
            <Field label="Methods" htmlFor={`al-${i}-methods`} error={e?.methods?.message}>
              <input id={`al-${i}-methods`} className={input} {...register(`allowlists.${i}.methods`)} />
            </Field>
            <div className="sm:col-span-3">
              <Button variant="ghost" onClick={() => remove(i)} aria-label={`Remove origin ${i + 1}`}>
                Remove
              </Button>
            </div>
          </div>
        );
      })}
    </Section>
  );
}
