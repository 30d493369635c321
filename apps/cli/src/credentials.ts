import { randomUUID } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** What `ah5 login` stores. The token is a secret: the file is 0600 in a 0700 directory. */
export interface StoredCredentials {
  apiUrl: string;
  token: string;
  tokenId?: string | undefined;
  expiresAt?: string | undefined;
  workspaceId?: string | undefined;
  savedAt: string;
}

/**
 * `$AH5_CONFIG_DIR`, else `$XDG_CONFIG_HOME/agenthifive`, else `%APPDATA%\agenthifive` on
 * Windows, else `~/.config/agenthifive`.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AH5_CONFIG_DIR) return env.AH5_CONFIG_DIR;
  if (!env.XDG_CONFIG_HOME && process.platform === "win32" && env.APPDATA)
    return join(env.APPDATA, "agenthifive");
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "agenthifive");
}

export const credentialsPath = (env?: NodeJS.ProcessEnv) => join(configDir(env), "credentials.json");

export async function readCredentials(env?: NodeJS.ProcessEnv): Promise<StoredCredentials | undefined> {
  try {
    const parsed = JSON.parse(await readFile(credentialsPath(env), "utf8")) as StoredCredentials;
    return typeof parsed.token === "string" && typeof parsed.apiUrl === "string" ? parsed : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function writeCredentials(value: StoredCredentials, env?: NodeJS.ProcessEnv): Promise<string> {
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = credentialsPath(env);
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}

export async function deleteCredentials(env?: NodeJS.ProcessEnv): Promise<boolean> {
  const path = credentialsPath(env);
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
