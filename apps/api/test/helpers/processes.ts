import { fileURLToPath } from "node:url";

/** The built entry point; test/global-setup.ts runs `tsc -b` once before any test file. */
export const API_MAIN = fileURLToPath(new URL("../../dist/bundle/main.js", import.meta.url));
