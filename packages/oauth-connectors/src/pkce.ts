import * as oauth from "oauth4webapi";

/**
 * Fresh 256-bit random values from oauth4webapi. The API stores the state hashed, the verifier
 * encrypted and the nonce in clear (API.md §3.2 callback rule 1); none of them is ever logged.
 */
export function generateState(): string {
  return oauth.generateRandomState();
}

export function generateCodeVerifier(): string {
  return oauth.generateRandomCodeVerifier();
}

export function generateNonce(): string {
  return oauth.generateRandomNonce();
}
