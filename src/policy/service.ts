import type { Kysely } from "kysely";
import { auditActor, type AuditLog } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { newId } from "../store/index.js";
import { defaultPolicySet } from "./default-policies.js";
import { evaluate, type Evaluation, type EvaluationContext, type VersionedPolicySet } from "./evaluate.js";
import type { PolicySet } from "./format.js";
import type { PolicyRepository, PolicySetRow } from "./repository.js";
import { parseSignals } from "./signal-fields.js";
import { validatePolicySet } from "./validate.js";

/** A policy-set version as stored (or the built-in default, version 0). */
export interface PolicySetVersion extends VersionedPolicySet {
  /** null for the built-in set. */
  readonly createdAt: string | null;
  readonly createdBy: string;
  readonly isActive: boolean;
  /** The default set shipped with Lapwing, used while no stored version is active. */
  readonly isBuiltIn: boolean;
}

/** One line of the history: a version without its content. */
export interface PolicyVersionInfo {
  readonly version: number;
  readonly createdAt: string | null;
  readonly createdBy: string;
  readonly isActive: boolean;
  readonly isBuiltIn: boolean;
  readonly policies: number;
  readonly shadowPolicies: number;
}

/** The version number of the built-in default set. Stored versions start at 1. */
export const builtInPolicyVersion = 0;

const maxCachedVersions = 64;

/**
 * Stored policy sets. Each `put` validates the whole set and stores it as a new,
 * immutable version that becomes active; decisions cite the version, so a
 * reviewer can always read the exact rules that made one. Until a version is
 * stored (or after `activate(0)`), the built-in default set is active.
 *
 * @example
 * const policies = createPolicyService(createPolicyRepository(store.db as Kysely<PolicyTables>), { audit });
 * const v = await policies.put(JSON.parse(file), auditActor.cli);
 * const { decisions, shadow } = evaluate(await policies.active(), signals);
 */
export function createPolicyService(repo: PolicyRepository, options: { clock?: () => Date; audit?: AuditLog; builtIn?: PolicySet } = {}) {
  const clock = options.clock ?? (() => new Date());
  const builtIn = options.builtIn ?? defaultPolicySet;
  // Parsed sets by row id. Stored versions never change, so this cannot go
  // stale; it spares workers a JSON parse and validation per evaluation.
  const parsed = new Map<string, PolicySet>();

  function toVersion(row: PolicySetRow): PolicySetVersion {
    let content = parsed.get(row.id);
    if (!content) {
      // Validated on the way in; validating again costs little and guards against hand edits in the database.
      content = validatePolicySet(JSON.parse(row.content));
      if (parsed.size >= maxCachedVersions) parsed.delete(parsed.keys().next().value!);
      parsed.set(row.id, content);
    }
    return { version: Number(row.version), content, createdAt: row.created_at, createdBy: row.created_by, isActive: Number(row.active) === 1, isBuiltIn: false };
  }

  function builtInVersion(isActive: boolean): PolicySetVersion {
    return { version: builtInPolicyVersion, content: builtIn, createdAt: null, createdBy: "lapwing", isActive, isBuiltIn: true };
  }

  /**
   * The set in force: the active stored version, else the built-in default.
   * Asked once per batch of events: it reads which version is active (a small
   * row) and parses a version's content only the first time it is seen.
   */
  async function active(): Promise<PolicySetVersion> {
    const head = await repo.findActiveHead();
    if (!head) return builtInVersion(true);
    if (parsed.has(head.id)) return toVersion({ ...head, content: "" });
    const content = await repo.contentOf(head.id);
    if (content !== undefined) return toVersion({ ...head, content });
    // Versions are never deleted; should this one be gone (a hand edit), read the active row whole.
    const row = await repo.findActive();
    return row ? toVersion(row) : builtInVersion(true);
  }

  async function get(version: number): Promise<PolicySetVersion> {
    if (version === builtInPolicyVersion) return builtInVersion((await repo.findActive()) === undefined);
    const row = Number.isSafeInteger(version) && version > 0 ? await repo.findVersion(version) : undefined;
    if (!row) throw new LapwingError("POLICY_VERSION_NOT_FOUND", `No policy-set version ${version} is stored; list them with \`lapwing policy history\` or GET /v1/policies/versions.`);
    return toVersion(row);
  }

  /** Every stored version, newest first, then the built-in set (version 0). */
  async function history(): Promise<PolicyVersionInfo[]> {
    const rows = await repo.listVersions();
    const versions = rows.map((row) => info(toVersion(row)));
    versions.push(info(builtInVersion(!rows.some((r) => Number(r.active) === 1))));
    return versions;
  }

  /**
   * Validates `content` whole (a bad file never replaces a good one), stores it
   * as the next version, makes it active, and audits `policy.update` in the
   * same transaction.
   */
  async function put(content: unknown, actor: string = auditActor.system): Promise<PolicySetVersion> {
    const set = validatePolicySet(content);
    const createdAt = clock().toISOString();
    return repo.transaction(async (trx) => {
      await repo.lockWriters(trx);
      const previous = await repo.findActive(trx);
      const version = (await repo.latestVersion(trx)) + 1;
      await repo.insertActive(trx, { id: newId(clock().getTime()), version, content: JSON.stringify(set), created_at: createdAt, created_by: actor });
      await options.audit?.record(trx as unknown as Kysely<unknown>, {
        actor,
        action: "policy.update",
        target: { type: "policy-set", id: String(version) },
        details: { version, previousVersion: previous ? Number(previous.version) : builtInPolicyVersion, ...counts(set) },
      });
      return { version, content: set, createdAt, createdBy: actor, isActive: true, isBuiltIn: false };
    });
  }

  /**
   * Makes an earlier version active again (a rollback), or the built-in set
   * with version 0. Versions are never edited, so this only moves the flag.
   */
  async function activate(version: number, actor: string = auditActor.system): Promise<PolicySetVersion> {
    const chosen = await get(version);
    return repo.transaction(async (trx) => {
      await repo.lockWriters(trx);
      const previous = await repo.findActive(trx);
      await repo.activate(trx, version);
      await options.audit?.record(trx as unknown as Kysely<unknown>, {
        actor,
        action: "policy.activate",
        target: { type: "policy-set", id: String(version) },
        details: { version, previousVersion: previous ? Number(previous.version) : builtInPolicyVersion },
      });
      return { ...chosen, isActive: true };
    });
  }

  /**
   * A dry run: what the active set (or `draft`, a set not yet stored, given
   * version -1) would decide for these signals. Signals and draft are
   * validated as untrusted input.
   */
  async function dryRun(signals: unknown, options: { draft?: unknown; context?: EvaluationContext } = {}): Promise<Evaluation & { version: number }> {
    const parsed = parseSignals(signals);
    const set: VersionedPolicySet = options.draft !== undefined ? { version: -1, content: validatePolicySet(options.draft) } : await active();
    return { version: set.version, ...evaluate(set, parsed, options.context) };
  }

  return { active, get, history, put, activate, dryRun };
}

export type PolicyService = ReturnType<typeof createPolicyService>;

function counts(set: PolicySet) {
  return { policies: set.policies.length, shadowPolicies: set.policies.filter((p) => p.mode === "shadow").length };
}

function info(v: PolicySetVersion): PolicyVersionInfo {
  return { version: v.version, createdAt: v.createdAt, createdBy: v.createdBy, isActive: v.isActive, isBuiltIn: v.isBuiltIn, ...counts(v.content) };
}
