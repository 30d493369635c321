"use client";
import { type Control, type FieldErrors, type UseFormRegister, useFieldArray } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { emptyTimeWindow, type PolicyForm } from "../form-model";
import { Field, input, itemBox, Section } from "./editor-parts";

type Props = {
  control: Control<PolicyForm>;
  register: UseFormRegister<PolicyForm>;
  errors: FieldErrors<PolicyForm>;
};

export function TimeWindowsFields({ control, register, errors }: Props) {
  const { fields, append, remove } = useFieldArray({ control, name: "timeWindows" });
  return (
    <Section
      title="Time windows"
      description="When set, the agent may act only inside one of these windows."
      actions={
        <Button variant="secondary" onClick={() => append(emptyTimeWindow())}>
          Add window
        </Button>
      }
    >
      {fields.length === 0 ? <p className="text-sm text-zinc-500">Always open.</p> : null}
      {fields.map((f, i) => {
        const e = errors.timeWindows?.[i];
        const id = `tw-${i}`;
        return (
          <div key={f.id} className={`${itemBox} grid gap-2 sm:grid-cols-5`}>
            <Field label="Days" htmlFor={`${id}-days`} error={e?.days?.message} className="sm:col-span-2">
              <input id={`${id}-days`} className={input} {...register(`timeWindows.${i}.days`)} />
            </Field>
            <Field label="From" htmlFor={`${id}-start`} error={e?.start?.message}>
              <input id={`${id}-start`} className={input} {...register(`timeWindows.${i}.start`)} />
            </Field>
            <Field label="Until" htmlFor={`${id}-end`} error={e?.end?.message}>
              <input id={`${id}-end`} className={input} {...register(`timeWindows.${i}.end`)} />
            </Field>
            <Field label="Time zone" htmlFor={`${id}-tz`} error={e?.timezone?.message}>
              <input id={`${id}-tz`} className={input} {...register(`timeWindows.${i}.timezone`)} />
            </Field>
            <div className="sm:col-span-5">
              <Button variant="ghost" onClick={() => remove(i)} aria-label={`Remove window ${i + 1}`}>
                Remove
              </Button>
            </div>
          </div>
        );
      })}
    </Section>
  );
}

const NUMBER_FIELDS: { name: keyof PolicyForm; label: string }[] = [
  { name: "rateLimitRequests", label: "Rate limit: requests" },
  { name: "rateLimitWindowSeconds", label: "… per seconds" },
  { name: "budgetPerDay", label: "Budget: requests per day" },
  { name: "maxRequestBytes", label: "Max request bytes" },
  { name: "maxResponseBytes", label: "Max response bytes" },
  { name: "approvalTtlSeconds", label: "Approval lifetime (s)" },
  { name: "modelAMaxTtlSeconds", label: "Model A token TTL (s)" },
];

export function LimitsFields({ register, errors }: Omit<Props, "control">) {
  return (
    <Section title="Limits" description="Empty means no limit (or the default).">
      <div className="grid gap-2 sm:grid-cols-4">
        {NUMBER_FIELDS.map((f) => (
          <Field key={f.name} label={f.label} htmlFor={`lim-${f.name}`} error={errors[f.name]?.message}>
            <input id={`lim-${f.name}`} inputMode="numeric" className={input} {...register(f.name)} />
          </Field>
        ))}
        <Field label="Model A scopes" htmlFor="lim-scopes" error={errors.modelAScopes?.message}>
          <input id="lim-scopes" className={input} {...register("modelAScopes")} />
        </Field>
      </div>
    </Section>
  );
}
