import type { Kysely } from "kysely";
import { createActionRepository, createActionService, type ActionTables } from "./actions/index.js";
import { createAuditLog, createAuditRepository, type AuditTables } from "./audit/index.js";
import { createApiKeyService, type ApiKeyTables } from "./auth/index.js";
import { createCaseRepository, createCaseService, type CaseTables } from "./cases/index.js";
import { createBankRepository, createBankService, type BankTables } from "./banks/index.js";
import type { Config } from "./config/index.js";
import { createEnforcement, createEnforcementRepository, type EnforcementObserver, type EnforcementTables } from "./enforcement/index.js";
import { createEventRepository, createEventService, createMediaFetcher, parseHostList, type EventTables, type MediaFetcher } from "./events/index.js";
import { createEvidenceRepository, createEvidenceService, keyringLoader, retentionFromConfig, storageFromConfig, type EvidenceStorage, type EvidenceTables } from "./evidence/index.js";
import { createKnownMediaService, createLiveIndex, createMediaHashPool } from "./known-media/index.js";
import { builtInLexicon, readVocabulary, createLexiconRegistry, createLexiconRepository, createLexiconService, type LexiconTables } from "./lexicons/index.js";
import { createStatsRepository, createStatsService, type StatsTables } from "./stats/index.js";
import { createMediaPreview } from "./media-preview/index.js";
import { createPreferenceRepository, createPreferenceService, type PreferenceTables } from "./preferences/index.js";
import { createNetworkRepository, createNetworkService, type NetworkTables } from "./network/index.js";
import { createAccountDetailsSource, createNcmecClient, createReportRepository, createReportService, ncmecTestUrl, reportFilesFromVault, type ReportFiles, type ReportTables } from "./reports/index.js";
import { createPolicyRepository, createPolicyService, type PolicyTables } from "./policy/index.js";
import { createDoorbell, createJobQueue } from "./queue/index.js";
import { createSearchBlockCounter, createSearchCountRepository, createSearchGate, defaultHelpResources, loadHelpResources, type SearchGateTables } from "./search-gate/index.js";
import type { Store } from "./store/index.js";
import { createTextCheck } from "./text-check/index.js";
import { defaultSafeguardResources, loadSafeguardResources } from "./safeguarding/index.js";
import { createLoginLimiter, createUserRepository, createUserService, type LoginFailureTables, type UserTables } from "./users/index.js";

/**
 * Wires every service from the configuration and an open, migrated store.
 * Plain function calls, no container: each service gets exactly what it uses.
 */
export function createServices(
  config: Config,
  store: Store,
  options: {
    databaseId: number;
    indexSnapshot?: Uint8Array;
    clock?: () => Date;
    observer?: EnforcementObserver;
    /** Tests: an evidence store of their own (a temporary directory, an s3rver bucket). */
    evidenceStorage?: EvidenceStorage;
    /** Tests: a media fetcher that may reach a local server. */
    evidenceFetcher?: Pick<MediaFetcher, "fetchMedia">;
    /** Tests: where reports take their files from, instead of the evidence vault. */
    reportFiles?: ReportFiles;
  },
) {
  const clock = options.clock ?? (() => new Date());
  const audit = createAuditLog(createAuditRepository(store.db as Kysely<AuditTables>), clock);
  const keys = createApiKeyService(store.db as Kysely<ApiKeyTables>, { clock, audit });
  const users = createUserService(createUserRepository(store.db as Kysely<UserTables>), { audit, settings: config });
  // In the store, so that every process serving the console counts the same failures.
  const loginLimits = {
    /** 5 failures per 15 minutes for one address and username (and for one user's current-password guesses). */
    perUser: createLoginLimiter(store.db as Kysely<LoginFailureTables>, { scope: "user", maxFailures: 5 }),
    /** 50 for one address, whatever the username. */
    perAddress: createLoginLimiter(store.db as Kysely<LoginFailureTables>, { scope: "address", maxFailures: 50 }),
  };
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
  const safeguardResources = config.safeguardResourcesFile ? loadSafeguardResources(config.safeguardResourcesFile) : defaultSafeguardResources;
  const searchCounts = createSearchBlockCounter(createSearchCountRepository(store.db as Kysely<SearchGateTables>), { clock });
  const searchGate = createSearchGate({ lexicons: lexiconRegistry, resources: helpResources, counter: searchCounts });

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
    // Bound late: the event service needs the network service, which needs enforcement, which needs cases.
    subjects: { profileOf: (accountId) => events.profileOf(accountId), textsOf: (eventId) => events.textsOf(eventId) },
    claimMinutes: config.caseClaimMinutes,
    helpResources,
    reports: { requestForCase: (trx, input) => reports.requestForCase(trx, input) },
    safeguardResources,
    // Bound late: the vault needs the enforcement's decisions, which need the case service.
    onDecided: (trx, decided) => evidence.onCaseDecided(trx, decided),
    clock,
  });
  const enforcement = createEnforcement(enforcementRepo, {
    policies,
    cases,
    actions,
    audit,
    helpResources,
    safeguardResources,
    clock,
    observer: options.observer,
    // Without a master key a `preserve` decision (the default set has one) is skipped rather than failing the
    // event's transaction: the hold, suspension and case of a CSAM match must never wait for the vault's set-up.
    evidence: config.evidenceMasterKey !== "" ? { preserveEvent: (trx, input) => evidence.preserveEvent(trx, input) } : undefined,
  });
  const network = createNetworkService(createNetworkRepository(store.db as Kysely<NetworkTables>, store.native), {
    audit,
    enforcer: enforcement,
    isBlockedHashtag: (tag) => searchGate.check(tag, "hashtag").verdict === "block",
    clock,
    settings: { signalScore: config.networkSignalScore, guardScore: config.networkGuardScore, targetedFollowers: config.networkTargetedFollowers },
    databaseUrl: store.url,
  });
  const reports = createReportService(createReportRepository(store.db as Kysely<ReportTables>), {
    audit,
    queue,
    // Bound late: the vault is created below. It lists a case's preserved files and reads them for upload.
    files: options.reportFiles ?? reportFilesFromVault({
        list: (caseId, access) => evidence.list(caseId, access),
        read: (id, access) => evidence.read(id, access),
        caseEvidence: (caseId, access) => evidence.caseEvidence(caseId, access),
      }, { isVaultConfigured: config.evidenceMasterKey !== "" }),
    vault: { noteReported: (caseId, input) => evidence.noteReported(caseId, input) },
    accountDetails: createAccountDetailsSource({
      url: config.accountDetailsUrl,
      token: config.accountDetailsToken,
      timeoutMs: config.accountDetailsTimeoutMs,
      allowPrivateAddresses: config.accountDetailsAllowPrivate,
    }),
    ncmec:
      config.ncmecUsername === ""
        ? undefined
        : createNcmecClient({
            // Production only when configured explicitly: loadConfig refuses production without a URL.
            baseUrl: config.ncmecUrl === "" ? ncmecTestUrl : config.ncmecUrl,
            username: config.ncmecUsername,
            password: config.ncmecPassword,
            timeoutMs: config.ncmecTimeoutMs,
          }),
    settings: {
      environment: config.ncmecEnvironment,
      reporter: {
        email: config.ncmecReporterEmail || "reporter-not-configured@invalid",
        firstName: config.ncmecReporterFirstName || undefined,
        lastName: config.ncmecReporterLastName || undefined,
        companyTemplate: config.ncmecCompanyTemplate || undefined,
      },
      espService: config.ncmecEspService,
      maxAttempts: config.ncmecMaxAttempts,
      maxRestarts: 5,
    },
    clock,
  });
  // Rung after each accepted batch, so this process's event worker (serve runs one) claims it at once.
  const eventsDoorbell = createDoorbell();
  const events = createEventService(createEventRepository(store.db as Kysely<EventTables>), queue, { graph: network.edgeSink, onAccepted: () => eventsDoorbell.ring() });
  const eventRows = createEventRepository(store.db as Kysely<EventTables>);
  const fetchHosts = parseHostList(config.mediaFetchHosts);
  const evidence = createEvidenceService({
    repo: createEvidenceRepository(store.db as Kysely<EvidenceTables>),
    keyring: keyringLoader(config),
    storage: options.evidenceStorage ?? storageFromConfig(config),
    audit,
    queue,
    actions,
    decisions: { forCase: (caseId) => enforcement.decisionsForCase(caseId) },
    events: { find: (id) => eventRows.find(id), latestAccount: (accountId) => eventRows.latestAccountEvent(accountId) },
    fetcher: options.evidenceFetcher ?? (fetchHosts.length > 0 ? createMediaFetcher({ allowedHosts: fetchHosts, maxBytes: config.maxUploadBytes }) : undefined),
    pdqOf: async (bytes) => {
      const { hashes } = await knownMedia.checkMedia(bytes, { whenBusy: "wait" });
      return hashes.pdq !== undefined && hashes.quality !== undefined ? { pdq: hashes.pdq, quality: hashes.quality } : undefined;
    },
    retention: retentionFromConfig(config),
    clock,
  });
  const preferences = createPreferenceService(createPreferenceRepository(store.db as Kysely<PreferenceTables>), { clock });
  const stats = createStatsService(createStatsRepository(store.db as Kysely<StatsTables>), { blockedSearches: searchCounts, clock });
  const mediaPreview = createMediaPreview({
    template: config.mediaPreviewUrl,
    allowPrivateAddresses: config.mediaPreviewPrivateAddresses,
    cases,
    decisions: { forCase: (caseId) => enforcement.decisionsForCase(caseId) },
    events,
    isSubjectRestricted: (subjectId) => enforcement.isSubjectRestricted(subjectId),
    audit,
    db: store.db as Kysely<unknown>,
  });

  return {
    store,
    audit,
    keys,
    users,
    loginLimits,
    queue,
    events,
    eventsDoorbell,
    banks,
    liveIndex,
    knownMedia,
    lexicons,
    lexiconRegistry,
    searchGate,
    searchCounts,
    textCheck,
    policies,
    actions,
    cases,
    reports,
    enforcement,
    network,
    evidence,
    preferences,
    mediaPreview,
    stats,
    /** Everything that mirrors database state in memory and follows its change feed. */
    followers: [liveIndex, lexiconRegistry] as const,
    mediaPool,
    /** Releases what the services hold besides the store (writes the pending search counts, ends the media hashing threads and the network scoring thread); the caller closes the store. */
    close: async () => {
      await searchCounts.flush().catch(() => {});
      await Promise.all([mediaPool.close(), network.close()]);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
