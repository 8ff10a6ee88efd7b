/**
 * Where an event worker's time goes, per stage, for `lapwing worker --until-idle --json` and the
 * scale-out bench: `claim` (taking jobs from the queue), `load` (reading the event), `detect` (text
 * and media checks, the policy set read), `write` (the transaction with signals, decisions, cases
 * and actions), `enforce` (the part of `write` that decides: decisions, cases, actions and their
 * audit entries), `complete` (marking the job done). Wall-clock milliseconds summed over every job
 * (jobs run concurrently, so the sum can exceed the elapsed time); two `performance.now()` calls
 * per stage, cheap next to a database round trip.
 */
export const processingStages = ["claim", "load", "detect", "write", "enforce", "complete"] as const;
export type ProcessingStage = (typeof processingStages)[number];

export interface StageTotal {
  /** Milliseconds spent in the stage, summed. */
  ms: number;
  /** Times the stage ran (claims, or events). */
  count: number;
}

export interface StageTimings {
  /** Runs `fn`, adding its duration to `stage` (whether it resolves or throws). */
  time<T>(stage: ProcessingStage, fn: () => Promise<T>): Promise<T>;
  add(stage: ProcessingStage, ms: number): void;
  totals(): Record<ProcessingStage, StageTotal>;
}

export function createStageTimings(): StageTimings {
  const totals = Object.fromEntries(processingStages.map((s) => [s, { ms: 0, count: 0 }])) as Record<ProcessingStage, StageTotal>;
  const add = (stage: ProcessingStage, ms: number) => {
    totals[stage].ms += ms;
    totals[stage].count++;
  };
  return {
    add,
    async time(stage, fn) {
      const started = performance.now();
      try {
        return await fn();
      } finally {
        add(stage, performance.now() - started);
      }
    },
    totals: () => Object.fromEntries(processingStages.map((s) => [s, { ms: Math.round(totals[s].ms), count: totals[s].count }])) as Record<ProcessingStage, StageTotal>,
  };
}

/** This process's stage timings: what the event worker and processor record into unless given others. */
export const processStageTimings: StageTimings = createStageTimings();
