import { v7 } from "uuid";

/** Time-ordered UUID v7: ids double as keyset-pagination cursors (DATA-MODEL.md §1). */
export function newId<T extends string = string>(): T {
  return v7() as T;
}
