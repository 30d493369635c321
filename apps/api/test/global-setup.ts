import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Tests that start real API processes (configuration failures, several replicas) run the built
 * output, so build once, incrementally, before the suite.
 */
export default function setup() {
  const root = fileURLToPath(new URL("../../..", import.meta.url));
  const tsc = fileURLToPath(new URL("../../../node_modules/typescript/bin/tsc", import.meta.url));
  const res = spawnSync(process.execPath, [tsc, "-b"], { cwd: root, stdio: "inherit" });
  if (res.status !== 0) throw new Error("tsc -b failed; the tests need the built API");
}
