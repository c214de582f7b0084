/** The subset of pino the scheduler and its tasks log through (Fastify's logger in `serve`). */
export interface CronLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * node-cron's own messages (it also warns on overlap, which our tasks log already) sent to our log.
 * `log` is read at each message, so the task may be created before the log is set.
 */
export function cronLogger(log: () => CronLog | null, fields: object) {
  const bound = { ...fields, component: 'node-cron' };
  return {
    info: (message: string) => log()?.info(bound, message),
    warn: (message: string) => log()?.warn(bound, message),
    error: (message: string | Error, err?: Error) => log()?.error({ ...bound, err: err ?? message }, String(message)),
    debug: () => undefined,
  };
}
