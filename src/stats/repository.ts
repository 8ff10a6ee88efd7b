import { sql, type Kysely } from "kysely";
import type { StatsTables } from "./tables.js";

export interface BacklogRow {
  priorityRank: number;
  restricted: boolean;
  total: number;
  claimed: number;
  escalated: number;
}

/** All SQL of the dashboard: range reads capped at `limit` rows, and one grouped count of the backlog. */
export function createStatsRepository(db: Kysely<StatsTables>) {
  return {
    /** Automated actions in [from, to) with the time their event arrived (reversals are a reviewer's, not a response time). */
    async actionTimes(from: string, to: string, limit: number) {
      return db
        .selectFrom("actions")
        .select(["created_at", "event_received_at"])
        .where("created_at", ">=", from)
        .where("created_at", "<", to)
        .where("event_received_at", "is not", null)
        .where("reverses", "is", null)
        .orderBy("created_at")
        .limit(limit)
        .execute();
    },

    async decidedCases(from: string, to: string, limit: number) {
      return db
        .selectFrom("cases")
        .select(["opened_at", "decided_at", "outcome"])
        .where("decided_at", ">=", from)
        .where("decided_at", "<", to)
        .orderBy("decided_at")
        .limit(limit)
        .execute();
    },

    async decisions(from: string, to: string, limit: number) {
      return db
        .selectFrom("decisions")
        .select(["created_at", "kinds", "decisions", "shadow"])
        .where("created_at", ">=", from)
        .where("created_at", "<", to)
        .orderBy("created_at")
        .limit(limit)
        .execute();
    },

    /** Undecided cases per priority and restriction; a lapsed claim counts as not claimed (as the queue shows it). */
    async backlog(now: string): Promise<BacklogRow[]> {
      const rows = await db
        .selectFrom("cases")
        .select((eb) => [
          "priority_rank",
          "restricted",
          eb.fn.countAll().as("total"),
          sql<number | string>`sum(case when state = 'claimed' and claim_expires_at > ${now} then 1 else 0 end)`.as("claimed"),
          sql<number | string>`sum(case when state = 'escalated' or (state = 'claimed' and claim_expires_at <= ${now} and escalated = 1) then 1 else 0 end)`.as("escalated"),
        ])
        .where("state", "<>", "decided")
        .groupBy(["priority_rank", "restricted"])
        .execute();
      return rows.map((r) => ({ priorityRank: Number(r.priority_rank), restricted: Number(r.restricted) === 1, total: Number(r.total), claimed: Number(r.claimed), escalated: Number(r.escalated) }));
    },
  };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;
