import { build } from "../../../scripts/build.mjs";

/**
 * Tests that start real API processes (configuration failures, several replicas) run the built
 * output, so build once, incrementally, before the suite.
 */
export default async function setup() {
  await build({ quiet: true });
}
