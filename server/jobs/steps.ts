import type { Text } from "../../lib/text";
import type { Db } from "../db/client";

/** A line is a text code (rendered in the reader's language) or a foreign system's own words. */
export type JobLogger = {
  info: (line: Text | string) => Promise<void>;
  warn: (line: Text | string) => Promise<void>;
  error: (line: Text | string) => Promise<void>;
};

/** What a step sees: the job's input, the state earlier steps left, a log the browser reads. */
export type StepContext<Input, State> = {
  db: Db;
  jobId: string;
  input: Input;
  state: State;
  /** merges into the job's state and persists it at once, so a resumed run sees what this step did */
  save: (patch: Partial<State>) => Promise<void>;
  log: JobLogger;
};

/**
 * One step of a job. `run` must be safe to run again after a crash halfway (check what is already
 * there before creating it); `undo` reverses it when a later step fails, and must tolerate a
 * half-done `run`.
 */
export type Step<Input, State> = {
  name: Text;
  run: (ctx: StepContext<Input, State>) => Promise<void>;
  undo?: (ctx: StepContext<Input, State>) => Promise<void>;
};

export type JobDefinition<Input, State> = {
  kind: string;
  steps: Step<Input, State>[];
  /** after every step succeeded */
  onSucceeded?: (ctx: StepContext<Input, State>) => Promise<void>;
  /** after a failure was undone (or could not be), with the failing step's message */
  onFailed?: (ctx: StepContext<Input, State>, error: Text | string) => Promise<void>;
};
