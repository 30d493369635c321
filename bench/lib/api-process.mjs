import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const API_MAIN = fileURLToPath(new URL("../../apps/api/dist/bundle/main.js", import.meta.url));

/** The process and its direct children (the API's workers when API_WORKERS > 1), Linux only. */
function withWorkers(pid) {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
    return [pid, ...children.filter(Boolean).map(Number)];
  } catch {
    return [pid];
  }
}

/** Resident memory of the API (supervisor and workers together), in MB. */
export function rssMb(pid) {
  const all = withWorkers(pid).map(ownRssMb);
  return all.includes(null) ? null : all.reduce((a, b) => a + b, 0);
}

function ownRssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return line ? Math.round(Number(line.replace(/\D+/g, "")) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) the API has used so far, workers included, in ms. */
export function cpuMs(pid) {
  return withWorkers(pid).reduce((sum, p) => sum + (ownCpuMs(p) ?? 0), 0);
}

/** CPU time of one process, in ms (Linux, /proc/<pid>/stat). */
function ownCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Starts the built API as its own process and waits until /ready answers 200. */
export async function startApi({ port, env }) {
  const startedAt = performance.now();
  const nodeArgs = [
    ...(process.env.BENCH_CPU_PROFILE
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
      : []),
    ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
  ];
  const child = spawn(process.execPath, [...nodeArgs, API_MAIN], {
    env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/ready`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = Math.round(performance.now() - startedAt);
  return {
    base,
    pid: child.pid,
    readyMs,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
