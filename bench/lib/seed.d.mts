// Types for seed.mjs, which the benchmark and the process-level tests share.
import type { CryptoKey } from "jose";

export interface SeededUser {
  jwt: string;
  workspaceId: string;
  cookie: string;
}
export interface SeededAgent {
  agentId: string;
  privateKey: CryptoKey;
  tokenEndpoint: string;
}
export function seedUser(base: string, webOrigin: string): Promise<SeededUser>;
export function seedAgent(base: string, jwt: string, name?: string): Promise<SeededAgent>;
export function signAssertion(agent: SeededAgent): Promise<string>;
export function agentToken(base: string, agent: SeededAgent): Promise<string>;
export function seedConnection(base: string, jwt: string, origin: string): Promise<string>;
export function createPolicy(
  base: string,
  jwt: string,
  agentId: string,
  connectionId: string,
  document: Record<string, unknown>,
): Promise<void>;
export function seedPolicy(
  base: string,
  jwt: string,
  agentId: string,
  connectionId: string,
  origin: string,
): Promise<void>;
export function connectOAuth(
  base: string,
  user: SeededUser,
  authorize: (authorizationUrl: URL) => Promise<URL>,
  provider?: string,
): Promise<string>;
