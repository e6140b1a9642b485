/** What `hedwig` exits with, so scripts can tell a refusal from a failure (README, "Command line"). */
export const EXIT = {
  OK: 0,
  /** anything unexpected, a 5xx */
  ERROR: 1,
  /** a wrong command line: unknown command or option, a missing argument */
  USAGE: 2,
  /** not logged in, or the token is unknown, expired or revoked (401) */
  AUTH: 3,
  /** the token's role or read-only flag does not allow it (403) */
  FORBIDDEN: 4,
  NOT_FOUND: 5,
  /** the server refused the input (400, 422) */
  BAD_INPUT: 6,
  /** a conflict or an unmet precondition (409, 412) */
  CONFLICT: 7,
  /** `job watch`: the job failed */
  JOB_FAILED: 8,
  /** a batch was not confirmed */
  CANCELLED: 9,
  /** the server could not be reached */
  UNREACHABLE: 10,
  /** too many calls with this token for now (429): wait and run it again */
  RATE_LIMITED: 11,
} as const;

export const exitForStatus = (status: number): number =>
  status === 401
    ? EXIT.AUTH
    : status === 403
      ? EXIT.FORBIDDEN
      : status === 404
        ? EXIT.NOT_FOUND
        : status === 400 || status === 422 || status === 415
          ? EXIT.BAD_INPUT
          : status === 409 || status === 412
            ? EXIT.CONFLICT
            : status === 429
              ? EXIT.RATE_LIMITED
              : EXIT.ERROR;
