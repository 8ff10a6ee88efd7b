import type { Kysely } from "kysely";
import { createActionRepository, createActionService, type ActionTables } from "./actions/index.js";
import { createAuditLog, createAuditRepository, type AuditTables } from "./audit/index.js";
import { createApiKeyService, type ApiKeyTables } from "./auth/index.js";
import { createCaseRepository, createCaseService, type CaseTables } from "./cases/index.js";
import { createBankRepository, createBankService, type BankTables } from "./banks/index.js";
import type { Config } from "./config/index.js";
import { createEnforcement, createEnforcementRepository, type EnforcementObserver, type EnforcementTables } from "./enforcement/index.js";
import { createEventRepository, createEventService, type EventTables } from "./events/index.js";
import { createKnownMediaService, createLiveIndex, createMediaHashPool } from "./known-media/index.js";
import { builtInLexicon, readVocabulary, createLexiconRegistry, createLexiconRepository, createLexiconService, type LexiconTables } from "./lexicons/index.js";
import { createNetworkRepository, createNetworkService, type NetworkTables } from "./network/index.js";
import { createPolicyRepository, createPolicyService, type PolicyTables } from "./policy/index.js";
import { createJobQueue } from "./queue/index.js";
import { createSearchGate, defaultHelpResources, loadHelpResources } from "./search-gate/index.js";
import type { Store } from "./store/index.js";
import { createTextCheck } from "./text-check/index.js";
import { createUserRepository, createUserService, type UserTables } from "./users/index.js";

/**
 * Wires every service from the configuration and an open, migrated store.
 * Plain function calls, no container: each service gets exactly what it uses.
 */
export function createServices(
  config: Config,
  store: Store,
  options: { databaseId: number; indexSnapshot?: Uint8Array; clock?: () => Date; observer?: EnforcementObserver },
) {
  const clock = options.clock ?? (() => new Date());
  const audit = createAuditLog(createAuditRepository(store.db as Kysely<AuditTables>), clock);
  const keys = createApiKeyService(store.db as Kysely<ApiKeyTables>, { clock, audit });
  const users = createUserService(createUserRepository(store.db as Kysely<UserTables>), { audit, settings: config });
  const queue = createJobQueue(store.db, store.dialect);

  const banks = createBankService(createBankRepository(store.db as Kysely<BankTables>), { clock, audit });
  const liveIndex = createLiveIndex({ readChanges: banks.changesSince, databaseId: options.databaseId, snapshot: options.indexSnapshot });
  // Threads start on first use, so commands that never hash media pay nothing for the pool.
  const mediaPool = createMediaHashPool({ threads: config.mediaThreads, maxQueued: config.mediaQueue, threadMemoryMb: config.mediaThreadMemoryMb, timeoutMs: config.mediaTimeoutMs });
  const knownMedia = createKnownMediaService({
    banks,
    index: liveIndex,
    pool: mediaPool,
    settings: {
      pdqMode: config.pdqMode,
      pdqQualityMin: config.pdqQualityMin,
      limits: { maxBytes: config.maxUploadBytes, maxPixels: config.maxPixels },
    },
  });

  const builtIn = config.defaultLexicon ? builtInLexicon : undefined;
  const lexicons = createLexiconService(createLexiconRepository(store.db as Kysely<LexiconTables>), { builtIn, clock, audit, vocabulary: readVocabulary });
  const lexiconRegistry = createLexiconRegistry({ readChanges: lexicons.changesSince, builtIn, vocabulary: readVocabulary });
  const helpResources = config.helpResourcesFile ? loadHelpResources(config.helpResourcesFile) : defaultHelpResources;
  const searchGate = createSearchGate({ lexicons: lexiconRegistry, resources: helpResources });

  const textCheck = createTextCheck({ lexicons: lexiconRegistry });
  const policies = createPolicyService(createPolicyRepository(store.db as Kysely<PolicyTables>), { clock, audit });

  const actions = createActionService(createActionRepository(store.db as Kysely<ActionTables>, store.dialect), {
    queue,
    audit,
    webhookMaxAttempts: config.webhookMaxAttempts,
    webhookBacklog: config.webhookBacklog,
    // Bound late: the case service needs the action service first.
    restrictedCases: { among: (caseIds) => cases.restrictedAmong(caseIds) },
    clock,
  });
  const enforcementRepo = createEnforcementRepository(store.db as Kysely<EnforcementTables>);
  const cases = createCaseService(createCaseRepository(store.db as Kysely<CaseTables>, store.dialect), {
    actions,
    audit,
    decisions: { forCase: async (caseId) => enforcement.decisionsForCase(caseId) },
    claimMinutes: config.caseClaimMinutes,
    helpResources,
    clock,
  });
  const enforcement = createEnforcement(enforcementRepo, { policies, cases, actions, audit, helpResources, clock, observer: options.observer });
  const network = createNetworkService(createNetworkRepository(store.db as Kysely<NetworkTables>, store.native), {
    audit,
    enforcer: enforcement,
    isBlockedHashtag: (tag) => searchGate.check(tag, "hashtag").verdict === "block",
    clock,
    settings: { signalScore: config.networkSignalScore, guardScore: config.networkGuardScore, targetedFollowers: config.networkTargetedFollowers },
    databaseUrl: store.url,
  });
  const events = createEventService(createEventRepository(store.db as Kysely<EventTables>), queue, { graph: network.edgeSink });

  return {
    store,
    audit,
    keys,
    users,
    queue,
    events,
    banks,
    liveIndex,
    knownMedia,
    lexicons,
    lexiconRegistry,
    searchGate,
    textCheck,
    policies,
    actions,
    cases,
    enforcement,
    network,
    /** Everything that mirrors database state in memory and follows its change feed. */
    followers: [liveIndex, lexiconRegistry] as const,
    mediaPool,
    /** Releases what the services hold besides the store (the media hashing threads, the network scoring thread); the caller closes the store. */
    close: async () => {
      await Promise.all([mediaPool.close(), network.close()]);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
