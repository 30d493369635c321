const COLORS = [
  "bg-indigo-600",
  "bg-emerald-600",
  "bg-sky-600",
  "bg-rose-600",
  "bg-amber-600",
  "bg-violet-600",
  "bg-teal-600",
  "bg-fuchsia-600",
];

/** A monogram tile: no third-party logo files are shipped or fetched. */
export function ProviderLogo({ id, label }: { id: string; label: string }) {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return (
    <span
      aria-hidden="true"
      className={`flex h-8 w-8 shrink-0 items-center justify-center rounded-md text-sm font-bold text-white ${COLORS[h % COLORS.length]}`}
    >
      {label.slice(0, 1).toUpperCase()}
    </span>
  );
}
