import { readFile, rm, rmdir } from "node:fs/promises";
import { dirname } from "node:path";
import { writeAtomic } from "./files.js";

/** What setup changed, so `--remove` can undo exactly that. Holds no secret. */
export interface SetupState {
  version: 1;
  configPath: string;
  configExisted: boolean;
  configMode: number | null;
  backupPath: string | null;
  keyFile: string;
  keyCreated: boolean;
  apiUrl: string;
  agentId: string | null;
  createdAt: string;
}

export async function readSetupState(path: string): Promise<SetupState | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as SetupState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function writeSetupState(path: string, state: SetupState) {
  await writeAtomic(path, `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

export async function removeSetupState(path: string, backupPath: string | null) {
  if (backupPath) await rm(backupPath, { force: true });
  await rm(path, { force: true });
  // Leave the directory if it holds anything else (downloads, a key kept by the user).
  await rmdir(dirname(path)).catch(() => undefined);
}
