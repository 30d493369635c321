import { createHash } from "node:crypto";

/**
 * A fixed CPU task (100,000 SHA-256 digests of 1 KiB), in CPU ms (median of three passes). Shared VMs change speed from one
 * minute to the next (the reference machine by up to 50 %); printed before and after the
 * scenarios, it tells whether two runs, or the start and end of one, can be compared at all.
 */
export function cpuCalibrationMs() {
  const block = Buffer.alloc(1024, 7);
  const once = () => {
    const before = process.cpuUsage();
    for (let i = 0; i < 100_000; i++) createHash("sha256").update(block).digest();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  // The median of three, so one preempted pass does not decide it.
  const passes = [once(), once(), once()].sort((a, b) => a - b);
  return Math.round(passes[1]);
}
