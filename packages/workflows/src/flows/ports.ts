/**
 * What an engine gives a flow. Flows are engine-agnostic and sandbox-safe: everything they do
 * beyond computing goes through these ports.
 */

/** A flow's view of the engine running it. */
export interface FlowPorts<A> {
  /** Proxies under Temporal; the real functions (with retries) in-process. */
  activities: A;
  /** Operator-visible progress (Temporal current details / query / memo; a log line in-process). */
  progress(completed: number, total: number | null): void;
  /** True when `error` means the run was canceled (Temporal cancellation, in-process abort). */
  isCancellation(error: unknown): boolean;
  /** Runs `fn` shielded from cancellation — for the bookkeeping a canceled run still owes. */
  nonCancellable<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * True when the engine would like the flow to continue as new now (Temporal's
   * `continueAsNewSuggested`: history getting long). Flows check it after doing some work.
   */
  continueAsNewSuggested?(): boolean;
  /** Structured log (Temporal's replay-aware workflow logger, or the engine's logger). */
  log(level: 'info' | 'warn', message: string, attributes?: Record<string, unknown>): void;
}

/**
 * What one run of a flow ends with: the result, or the input of the next run (continue-as-new
 * under Temporal; the in-process engine simply runs the flow again with it).
 */
export type FlowStep<Input, Result> = { done: true; result: Result } | { done: false; continueWith: Input };

/** An engine-agnostic orchestration function. */
export type Flow<Input, Activities, Result> = (
  input: Input,
  ports: FlowPorts<Activities>,
) => Promise<FlowStep<Input, Result>>;
