import type { FastifyBaseLogger } from "fastify";
import type { Bindings, ChildLoggerOptions, LevelWithSilent } from "pino";

const METHODS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
type Method = (typeof METHODS)[number];

/**
 * Fastify gives every request a child logger carrying its request id. Building a pino child
 * (serialising and redacting the bindings) cost more than the rest of routing on the vault's hot
 * path, and at the usual `warn`/`info` levels most requests never log a line. This stands in for
 * the child and builds the real one the first time a line is actually written.
 */
class LazyRequestLogger {
  #parent: FastifyBaseLogger;
  #bindings: Bindings;
  #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  #log(method: Method, args: unknown[]): void {
    const target = (this.#child ?? this.#parent) as { isLevelEnabled?: (level: string) => boolean };
    if (typeof target.isLevelEnabled === "function" && !target.isLevelEnabled(method)) return;
    (this.#real()[method] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }
  set level(level: string) {
    this.#real().level = level as LevelWithSilent;
  }
  // One method per level, on the prototype: one small object per request, no closures.
  static {
    for (const method of METHODS) {
      (LazyRequestLogger.prototype as unknown as Record<Method, unknown>)[method] = function (
        this: LazyRequestLogger,
        ...args: unknown[]
      ) {
        this.#log(method, args);
      };
    }
  }
  silent(): void {}
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: a route with its own log level gets a real child at once. */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  if (options.level !== undefined) return logger.child(bindings, options);
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
