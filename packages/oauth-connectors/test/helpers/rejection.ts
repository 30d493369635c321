import { expect } from "vitest";
import { isOAuthConnectorError, type OAuthConnectorError } from "../../src/index.js";

/** Awaits a promise that must reject with an OAuthConnectorError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<OAuthConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(isOAuthConnectorError(error), String(error)).toBe(true);
    return error as OAuthConnectorError;
  }
  throw new Error("expected a rejection");
}
