import {
  forwardRef,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  useId,
} from "react";

const control =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-2 focus:outline-indigo-500 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";

interface FieldShell {
  label: string;
  error?: string;
  help?: ReactNode;
}

export const TextField = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & FieldShell>(
  function TextField({ label, error, help, id, className = "", ...rest }, ref) {
    const auto = useId();
    const fieldId = id ?? auto;
    return (
      <div className={className}>
        <label htmlFor={fieldId} className="mb-1 block text-sm font-medium text-zinc-800 dark:text-zinc-200">
          {label}
        </label>
        <input
          ref={ref}
          id={fieldId}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${fieldId}-error` : help ? `${fieldId}-help` : undefined}
          className={control}
          {...rest}
        />
        {help && !error ? (
          <p id={`${fieldId}-help`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            {help}
          </p>
        ) : null}
        {error ? (
          <p id={`${fieldId}-error`} role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </div>
    );
  },
);

export const SelectField = forwardRef<
  HTMLSelectElement,
  SelectHTMLAttributes<HTMLSelectElement> & FieldShell & { options: { value: string; label: string }[] }
>(function SelectField({ label, error, help, id, options, className = "", ...rest }, ref) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div className={className}>
      <label htmlFor={fieldId} className="mb-1 block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <select ref={ref} id={fieldId} aria-invalid={error ? true : undefined} className={control} {...rest}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {help && !error ? <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{help}</p> : null}
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
});

export const controlClass = control;
