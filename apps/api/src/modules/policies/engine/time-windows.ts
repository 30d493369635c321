import { type TimeWindow, WEEKDAYS } from "@agenthifive/contracts";

/**
 * Time windows (POLICY.md §1, §3 step 7) in IANA zones. Matching compares local wall-clock time,
 * so DST needs no special case; an overnight window (end ≤ start) belongs to the day it starts.
 * Start is inclusive, end exclusive. The next opening is computed for the hint.
 */

export interface CompiledWindow {
  source: TimeWindow;
  /** 0 = Monday … 6 = Sunday. */
  days: ReadonlySet<number>;
  startMinute: number;
  endMinute: number;
  zone: string;
  format: Intl.DateTimeFormat;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(zone, f);
  }
  return f;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function compileWindow(window: TimeWindow): CompiledWindow {
  return {
    source: window,
    days: new Set(window.days.map((d) => WEEKDAYS.indexOf(d))),
    startMinute: toMinutes(window.start),
    endMinute: toMinutes(window.end),
    zone: window.timezone,
    format: formatFor(window.timezone),
  };
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  minute: number;
  /** The local wall-clock time as if it were UTC, in ms. */
  wallMs: number;
}

/** Local wall-clock time of instant `ms` in the formatter's zone. */
export function localTime(format: Intl.DateTimeFormat, ms: number): LocalTime {
  const p = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of format.formatToParts(ms)) {
    if (part.type in p) p[part.type as keyof typeof p] = Number(part.value);
  }
  const wallMs = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
  return { year: p.year, month: p.month, day: p.day, weekday, minute: p.hour * 60 + p.minute, wallMs };
}

function inWindow(w: CompiledWindow, local: LocalTime): boolean {
  const t = local.minute;
  if (w.startMinute < w.endMinute) return w.days.has(local.weekday) && t >= w.startMinute && t < w.endMinute;
  const previous = (local.weekday + 6) % 7;
  return (w.days.has(local.weekday) && t >= w.startMinute) || (w.days.has(previous) && t < w.endMinute);
}

/**
 * One-entry cache per zone of the local time of the current UTC minute: every zone offset in use
 * is a whole number of minutes, so all instants of one UTC minute share weekday and local minute.
 */
const minuteCache = new WeakMap<Intl.DateTimeFormat, { key: number; local: LocalTime }>();

function localMinute(format: Intl.DateTimeFormat, ms: number): LocalTime {
  const key = Math.floor(ms / 60_000);
  const hit = minuteCache.get(format);
  if (hit && hit.key === key) return hit.local;
  const local = localTime(format, key * 60_000);
  minuteCache.set(format, { key, local });
  return local;
}

/** True when no windows are configured or `ms` falls inside at least one. */
export function withinWindows(windows: readonly CompiledWindow[] | null, ms: number): boolean {
  if (!windows || windows.length === 0) return true;
  for (const w of windows) if (inWindow(w, localMinute(w.format, ms))) return true;
  return false;
}

/**
 * The first instant whose local wall-clock time in the zone is at or after `targetWallMs` (a local
 * date-time written as if UTC). In a DST gap this is the end of the gap; when a local time occurs
 * twice (DST end) it is the earlier one.
 */
export function instantOfLocal(format: Intl.DateTimeFormat, targetWallMs: number): number {
  const wall = (ms: number) => localTime(format, ms).wallMs;
  const offset = (ms: number) => wall(ms) - ms;
  const hour = 3_600_000;
  const candidates = [
    ...new Set([-14, 0, 14].map((h) => targetWallMs - offset(targetWallMs + h * hour))),
  ].sort((a, b) => a - b);
  for (const c of candidates) if (wall(c) === targetWallMs) return c;
  // In a gap: binary search for the first instant whose wall time has passed the target.
  let lo = (candidates[0] ?? targetWallMs) - 2 * hour;
  let hi = (candidates[candidates.length - 1] ?? targetWallMs) + 2 * hour;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (wall(mid) >= targetWallMs) hi = mid;
    else lo = mid;
  }
  return Math.ceil(hi / 1000) * 1000;
}

/** The next instant after `ms` at which a window opens, or null when none does within 8 days. */
export function nextOpening(windows: readonly CompiledWindow[], ms: number): number | null {
  let best: number | null = null;
  for (const w of windows) {
    const today = localTime(w.format, ms);
    for (let d = 0; d <= 8; d++) {
      const date = Date.UTC(today.year, today.month - 1, today.day + d);
      const weekday = (new Date(date).getUTCDay() + 6) % 7;
      if (!w.days.has(weekday)) continue;
      const at = instantOfLocal(w.format, date + w.startMinute * 60_000);
      if (at > ms && (best === null || at < best)) best = at;
      if (at > ms) break;
    }
  }
  return best;
}

const DAY_LABEL = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "Mon, Tue 09:00–17:00 Europe/Berlin" */
export function describeWindow(w: CompiledWindow): string {
  const sorted = [...w.days].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const from = DAY_LABEL[sorted[i] ?? 0];
    const to = DAY_LABEL[sorted[j] ?? 0];
    runs.push(
      j - i >= 2
        ? `${from}–${to}`
        : sorted
            .slice(i, j + 1)
            .map((d) => DAY_LABEL[d])
            .join(", "),
    );
    i = j + 1;
  }
  return `${runs.join(", ")} ${w.source.start}–${w.source.end} ${w.zone}`;
}

/** Local "YYYY-MM-DD HH:MM" of an instant in a zone (for hints). */
export function formatLocal(w: CompiledWindow, ms: number): string {
  const t = localTime(w.format, ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(Math.floor(t.minute / 60))}:${pad(t.minute % 60)}`;
}
