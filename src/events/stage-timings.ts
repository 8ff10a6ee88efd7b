/**
 * Where an event worker's time goes, per stage, for `lapwing worker --until-idle --json` and the
 * scale-out bench: `claim` (taking jobs from the queue), `load` (reading the event), `detect` (text
 * and media checks, the policy set read), `write` (the transaction with signals, decisions, cases
 * and actions), `enforce` (the part of `write` that decides: decisions, cases, actions and their
 * audit entries), `complete` (marking the jobs done, also inside `write`), `seq` (within `enforce`: taking the
 * batch's block of `seq`, mostly waiting for another worker's batch holding its row lock to commit), `commit`
 * (within `write`: from the transaction's last statement to its commit returning). Wall-clock milliseconds summed over every job
 * (jobs run concurrently, so the sum can exceed the elapsed time); two `performance.now()` calls
 * per stage, cheap next to a database round trip.
 */
export const processingStages = ["claim", "load", "detect", "write", "enforce", "complete", "seq", "commit"] as const;
export type ProcessingStage = (typeof processingStages)[number];

export interface StageTotal {
  /** Milliseconds spent in the stage, summed. */
  ms: number;
  /**
   * This process's CPU time (user + system) while the stage ran, in milliseconds: on a loaded machine, what the
   * stage cost rather than how long it waited for a core. Exact when stages do not overlap (one worker loop in the
   * process, as `lapwing worker`); with a server or several loops in the process it includes their work too.
   */
  cpuMs: number;
  /** Times the stage ran (claims, or batches). */
  count: number;
}

export interface StageTimings {
  /** Runs `fn`, adding its duration to `stage` (whether it resolves or throws). */
  time<T>(stage: ProcessingStage, fn: () => Promise<T>): Promise<T>;
  /** Starts timing `stage`; the function returned stops it and adds the duration. */
  begin(stage: ProcessingStage): () => void;
  totals(): Record<ProcessingStage, StageTotal>;
}

export function createStageTimings(): StageTimings {
  const totals = Object.fromEntries(processingStages.map((s) => [s, { ms: 0, cpuMs: 0, count: 0 }])) as Record<ProcessingStage, StageTotal>;
  const begin = (stage: ProcessingStage) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    return () => {
      const used = process.cpuUsage(cpu);
      totals[stage].ms += performance.now() - started;
      totals[stage].cpuMs += (used.user + used.system) / 1000;
      totals[stage].count++;
    };
  };
  return {
    begin,
    async time(stage, fn) {
      const stop = begin(stage);
      try {
        return await fn();
      } finally {
        stop();
      }
    },
    totals: () => Object.fromEntries(processingStages.map((s) => [s, { ms: Math.round(totals[s].ms), cpuMs: Math.round(totals[s].cpuMs), count: totals[s].count }])) as Record<ProcessingStage, StageTotal>,
  };
}

/** This process's stage timings: what the event worker and processor record into unless given others. */
export const processStageTimings: StageTimings = createStageTimings();
