"use client";
import { type Control, type FieldErrors, type UseFormRegister, useFieldArray } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { emptyResponseRule, type PolicyForm } from "../form-model";
import { Field, input, itemBox, Section } from "./editor-parts";

export function ResponseRulesFields({
  control,
  register,
  errors,
}: {
  control: Control<PolicyForm>;
  register: UseFormRegister<PolicyForm>;
  errors: FieldErrors<PolicyForm>;
}) {
  const { fields, append, remove } = useFieldArray({ control, name: "responseRules" });
  return (
    <Section
      title="Response filters"
      description="Every matching filter applies: keep or drop fields, redact personal data before the agent sees it."
      actions={
        <Button variant="secondary" onClick={() => append(emptyResponseRule(fields.length + 1))}>
          Add filter
        </Button>
      }
    >
      {fields.map((f, i) => {
        const e = errors.responseRules?.[i];
        const id = `resp-${i}`;
        return (
          <div key={f.id} className={`${itemBox} grid gap-2 sm:grid-cols-3`} data-testid="response-rule">
            <Field label="Filter id" htmlFor={`${id}-id`} error={e?.id?.message}>
              <input id={`${id}-id`} className={input} {...register(`responseRules.${i}.id`)} />
            </Field>
            <Field label="Methods" htmlFor={`${id}-methods`} error={e?.methods?.message}>
              <input
                id={`${id}-methods`}
                placeholder="any"
                className={input}
                {...register(`responseRules.${i}.methods`)}
              />
            </Field>
            <Field label="Path pattern" htmlFor={`${id}-path`} error={e?.path?.message}>
              <input
                id={`${id}-path`}
                placeholder="any"
                className={input}
                {...register(`responseRules.${i}.path`)}
              />
            </Field>
            <Field label="Keep only fields" htmlFor={`${id}-allow`} error={e?.allowFields?.message}>
              <input id={`${id}-allow`} className={input} {...register(`responseRules.${i}.allowFields`)} />
            </Field>
            <Field label="Drop fields" htmlFor={`${id}-deny`} error={e?.denyFields?.message}>
              <input
                id={`${id}-deny`}
                placeholder="**.password"
                className={input}
                {...register(`responseRules.${i}.denyFields`)}
              />
            </Field>
            <Field
              label="Redact PII (all, or email, phone, …)"
              htmlFor={`${id}-pii`}
              error={e?.redactPii?.message}
            >
              <input id={`${id}-pii`} className={input} {...register(`responseRules.${i}.redactPii`)} />
            </Field>
            <div className="sm:col-span-3">
              <Button variant="ghost" onClick={() => remove(i)} aria-label={`Remove filter ${i + 1}`}>
                Remove
              </Button>
            </div>
          </div>
        );
      })}
    </Section>
  );
}
