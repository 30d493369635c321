"use client";
import { type Control, type FieldErrors, type UseFormRegister, useFieldArray } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { emptyRequestRule, type PolicyForm } from "../form-model";
import { Field, input, itemBox, Section } from "./editor-parts";

export function RequestRulesFields({
  control,
  register,
  errors,
}: {
  control: Control<PolicyForm>;
  register: UseFormRegister<PolicyForm>;
  errors: FieldErrors<PolicyForm>;
}) {
  const { fields, append, remove, move } = useFieldArray({ control, name: "requestRules" });
  return (
    <Section
      title="Request rules"
      description="Checked in order; the first matching rule decides. Shadow rules only record what they would have done."
      actions={
        <Button variant="secondary" onClick={() => append(emptyRequestRule(fields.length + 1))}>
          Add rule
        </Button>
      }
    >
      {fields.length === 0 ? (
        <p className="text-sm text-zinc-500">No rules: the default action applies.</p>
      ) : null}
      <ol className="space-y-3">
        {fields.map((f, i) => {
          const e = errors.requestRules?.[i];
          const id = `rr-${i}`;
          return (
            <li key={f.id} className={itemBox} data-testid="request-rule">
              <div className="grid gap-2 sm:grid-cols-4">
                <Field label="Rule id" htmlFor={`${id}-id`} error={e?.id?.message}>
                  <input id={`${id}-id`} className={input} {...register(`requestRules.${i}.id`)} />
                </Field>
                <Field label="Methods" htmlFor={`${id}-methods`} error={e?.methods?.message}>
                  <input
                    id={`${id}-methods`}
                    placeholder="any"
                    className={input}
                    {...register(`requestRules.${i}.methods`)}
                  />
                </Field>
                <Field label="Path pattern" htmlFor={`${id}-path`} error={e?.path?.message}>
                  <input
                    id={`${id}-path`}
                    placeholder="/v1/**"
                    className={input}
                    {...register(`requestRules.${i}.path`)}
                  />
                </Field>
                <Field label="Action" htmlFor={`${id}-action`} error={e?.action?.message}>
                  <select id={`${id}-action`} className={input} {...register(`requestRules.${i}.action`)}>
                    <option value="allow">Allow</option>
                    <option value="require_approval">Ask a human</option>
                    <option value="deny">Deny</option>
                  </select>
                </Field>
                <Field label="Label" htmlFor={`${id}-label`} className="sm:col-span-2">
                  <input id={`${id}-label`} className={input} {...register(`requestRules.${i}.label`)} />
                </Field>
                <Field
                  label="Hint shown to the agent"
                  htmlFor={`${id}-hint`}
                  error={e?.hint?.message}
                  className="sm:col-span-2"
                >
                  <input id={`${id}-hint`} className={input} {...register(`requestRules.${i}.hint`)} />
                </Field>
                <Field
                  label="Other conditions (JSON: query, headers, body)"
                  htmlFor={`${id}-conditions`}
                  error={e?.conditions?.message}
                  className="sm:col-span-4"
                >
                  <textarea
                    id={`${id}-conditions`}
                    rows={2}
                    className={`${input} font-mono`}
                    {...register(`requestRules.${i}.conditions`)}
                  />
                </Field>
              </div>
              <div className="flex flex-wrap items-center gap-2">
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" className="h-4 w-4" {...register(`requestRules.${i}.shadow`)} />
                  Shadow mode
                </label>
                <Button
                  variant="ghost"
                  disabled={i === 0}
                  onClick={() => move(i, i - 1)}
                  aria-label={`Move rule ${i + 1} up`}
                >
                  ↑
                </Button>
                <Button
                  variant="ghost"
                  disabled={i === fields.length - 1}
                  onClick={() => move(i, i + 1)}
                  aria-label={`Move rule ${i + 1} down`}
                >
                  ↓
                </Button>
                <Button variant="ghost" onClick={() => remove(i)} aria-label={`Remove rule ${i + 1}`}>
                  Remove
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
    </Section>
  );
}
