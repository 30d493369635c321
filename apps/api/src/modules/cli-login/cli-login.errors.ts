import { AppError } from "../../lib/errors.js";

/**
 * RFC 8628 §3.5 poll answers in our error envelope. The RFC's own name is in `details.error`, so
 * OAuth-minded clients can branch on it too.
 */
export const authorizationPending = () =>
  new AppError("AUTHORIZATION_PENDING", "The sign-in request has not been confirmed yet.", {
    details: { error: "authorization_pending" },
    hint: "Keep polling at the given interval until the person confirms the code in the browser.",
  });

export const slowDown = (intervalSeconds: number) =>
  new AppError("SLOW_DOWN", "Polling too fast.", {
    details: { error: "slow_down", interval: intervalSeconds },
    hint: `Wait ${intervalSeconds} seconds between polls.`,
  });

/** Unknown, expired and already used device codes answer the same (no oracle). */
export const expiredToken = () =>
  new AppError("EXPIRED_TOKEN", "This sign-in request has expired or was already used.", {
    details: { error: "expired_token" },
    hint: "Run `ah5 login` again.",
  });

export const accessDenied = () =>
  new AppError("ACCESS_DENIED", "The sign-in request was denied.", {
    details: { error: "access_denied" },
    hint: "Run `ah5 login` again if this was a mistake.",
  });

/** A user code that is unknown, expired or already decided: one answer. */
export const userCodeNotFound = () =>
  new AppError("NOT_FOUND", "No pending sign-in request has this code.", {
    hint: "Check the code shown by `ah5 login`; it is valid for 10 minutes. Start again if it expired.",
  });
