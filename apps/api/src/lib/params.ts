import { z } from "zod";

/**
 * A path id: a UUID in any case, normalised to lower case. The error handler answers a bad path
 * parameter with 404, not 400: we do not tell which ids are well-formed (API.md §1.3).
 */
export const uuidParam = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
  .transform((value) => value.toLowerCase());
