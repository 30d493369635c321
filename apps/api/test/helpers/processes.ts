import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The bundled server; test/global-setup.ts builds it (scripts/build.mjs) once before any test file. */
export const API_MAIN = fileURLToPath(new URL("../../dist/bundle/main.js", import.meta.url));

/** A port free on the loopback interface right now. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
