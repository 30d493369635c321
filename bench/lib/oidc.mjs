// The local OpenID Connect server the tests use (packages/oauth-connectors/test/helpers), for the
// Model A scenario: its TypeScript is stripped with the compiler the build already uses, into a
// cache folder inside the repository so its imports (oidc-provider) resolve from node_modules.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const SOURCE = new URL("../../packages/oauth-connectors/test/helpers/", import.meta.url);
const OUT = new URL("../.cache/oidc/", import.meta.url);
const FILES = ["oidc-server", "browser", "memory-store"];

/** Starts the OpenID Connect server; `redirectUris` are the API callbacks it accepts. */
export async function startOidcServer(redirectUris) {
  mkdirSync(OUT, { recursive: true });
  for (const name of FILES) {
    const source = readFileSync(new URL(`${name}.ts`, SOURCE), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(
      new URL(`${name}.mjs`, OUT),
      outputText.replaceAll(/from "\.\/(\w[\w-]*)\.js"/g, 'from "./$1.mjs"'),
    );
  }
  const mod = await import(pathToFileURL(fileURLToPath(new URL("oidc-server.mjs", OUT))).href);
  const server = await mod.startOidcServer({ redirectUris });
  return { server, client: mod.CLIENT };
}
