/** CLI output: human-readable by default, JSON with --json; errors to stderr; exit codes from error codes. */
import cliProgress from 'cli-progress';
import { isDomainError, type ErrorCode } from '../domain/errors.ts';

export const EXIT = {
  OK: 0,
  FAILURE: 1,
  INVALID: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  LOCKED: 5,
  FORBIDDEN: 6,
  CHECK_FAILED: 7,
} as const;

const EXIT_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID: EXIT.INVALID,
  TOO_LARGE: EXIT.INVALID,
  NOT_FOUND: EXIT.NOT_FOUND,
  CONFLICT: EXIT.CONFLICT,
  LOCKED: EXIT.LOCKED,
  FORBIDDEN: EXIT.FORBIDDEN,
  UNAUTHENTICATED: EXIT.FORBIDDEN,
};

export interface Output {
  json: boolean;
  /** Print a result: `data` as JSON with --json, otherwise the human text. */
  result(data: unknown, human: string | (() => string)): void;
  info(line: string): void;
  error(line: string): void;
  progress(label: string, total: number): Progress;
}

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

export function createOutput(
  json: boolean,
  streams: {
    out: NodeJS.WritableStream & { isTTY?: boolean };
    err: NodeJS.WritableStream & { isTTY?: boolean };
  } = {
    out: process.stdout,
    err: process.stderr,
  },
): Output {
  return {
    json,
    result(data, human) {
      streams.out.write(
        json ? `${JSON.stringify(data, null, 2)}\n` : `${typeof human === 'function' ? human() : human}\n`,
      );
    },
    info(line) {
      if (!json) streams.err.write(`${line}\n`);
    },
    error(line) {
      streams.err.write(`${line}\n`);
    },
    progress(label, total) {
      if (streams.err.isTTY && !json) {
        const bar = new cliProgress.SingleBar(
          {
            format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`,
            stream: streams.err,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
        return {
          update: (done, t) => {
            if (t !== undefined) bar.setTotal(t);
            bar.update(done);
          },
          stop: () => bar.stop(),
        };
      }
      // Not a terminal: a log line at most every 10% (and at the end).
      let lastDecile = -1;
      let currentTotal = total;
      return {
        update(done, t) {
          if (t !== undefined) currentTotal = t;
          const decile = currentTotal > 0 ? Math.floor((done / currentTotal) * 10) : 10;
          if (decile !== lastDecile) {
            lastDecile = decile;
            streams.err.write(`${label}: ${done}/${currentTotal}\n`);
          }
        },
        stop() {},
      };
    },
  };
}

/** Report an error and return the exit code. */
export function reportError(out: Output, e: unknown): number {
  if (isDomainError(e)) {
    if (out.json) out.result({ error: { code: e.code, message: e.message, issues: e.issues } }, '');
    else {
      out.error(`custos: ${e.message}`);
      for (const i of e.issues) out.error(`  ${i.path}: ${i.message}`);
    }
    return EXIT_BY_CODE[e.code] ?? EXIT.FAILURE;
  }
  const err = e as { code?: string; message?: string };
  if (err?.code?.startsWith('commander.')) return EXIT.INVALID;
  out.error(`custos: unexpected error: ${err?.message ?? String(e)}`);
  if (process.env.CUSTOS_DEBUG) out.error(String((e as Error)?.stack ?? ''));
  return EXIT.FAILURE;
}
