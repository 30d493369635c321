import type { ApiErrorBody, ValidationIssue } from "@agenthifive/contracts";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError } from "../lib/errors.js";

/** Fastify's own error codes → ours. Anything unknown is a 500 INTERNAL, logged and never echoed. */
const FASTIFY_CODES: Record<string, () => AppError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new AppError("PAYLOAD_TOO_LARGE", "The request body is too large."),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new AppError("UNSUPPORTED_MEDIA_TYPE", "Unsupported Content-Type."),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new AppError("VALIDATION_FAILED", "Invalid Content-Length."),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new AppError("VALIDATION_FAILED", "The JSON body is empty.", {
      hint: "Send a JSON object, or no Content-Type.",
    }),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new AppError("VALIDATION_FAILED", "The body is not valid JSON."),
  FST_ERR_VALIDATION: () => new AppError("VALIDATION_FAILED", "The request is not valid."),
};

function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    if (error.validationContext === "params") return new AppError("NOT_FOUND", "Resource not found.");
    const issues: ValidationIssue[] = error.validation.map((v) => ({
      path: [error.validationContext, ...String(v.instancePath).split("/").filter(Boolean)].join("."),
      message: v.message ?? "invalid",
      code: v.keyword,
    }));
    return new AppError("VALIDATION_FAILED", "The request is not valid.", { details: { issues } });
  }
  if (
    error.code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
    (error.statusCode === 400 && error instanceof SyntaxError)
  ) {
    return FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY?.() as AppError;
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return mapped();
  if (error.statusCode === 429) {
    return new AppError("RATE_LIMITED", "Too many requests.");
  }
  if (error.statusCode === 413) return new AppError("PAYLOAD_TOO_LARGE", "The request body is too large.");
  if (error.statusCode === 415) return new AppError("UNSUPPORTED_MEDIA_TYPE", "Unsupported Content-Type.");
  return new AppError("INTERNAL", "Something went wrong on our side.");
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const body: ApiErrorBody = {
    error: error.message,
    code: error.code,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.details ? { details: error.details } : {}),
    requestId: request.id,
  };
  if (error.headers) reply.headers(error.headers);
  return reply.status(error.status).type("application/json; charset=utf-8").send(body);
}

/** The one error handler: every non-2xx is `{ error, code, hint?, details?, requestId }`. */
export const errorHandler = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const appError = toAppError(error);
      if (appError.code === "INTERNAL" || isResponseSerializationError(error)) {
        request.log.error({ err: error }, "unhandled error");
      }
      return sendError(request, reply, appError);
    });
    app.setNotFoundHandler((request, reply) =>
      sendError(
        request,
        reply,
        new AppError("NOT_FOUND", "No such route.", { hint: "Check the method and path against /docs." }),
      ),
    );
  },
  { name: "ah5-error-handler" },
);
