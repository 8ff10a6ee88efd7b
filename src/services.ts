import { createApiKeyService, type ApiKeyTables } from "./auth/index.js";
import { createBankRepository, createBankService, type BankTables } from "./banks/index.js";
import type { Config } from "./config/index.js";
import { createKnownMediaService, createLiveIndex } from "./known-media/index.js";
import type { Store } from "./store/index.js";

/**
 * Wires every service from the configuration and an open, migrated store.
 * Plain function calls, no container: each service gets exactly what it uses.
 */
export function createServices(
  config: Config,
  store: Store,
  options: { databaseId: number; indexSnapshot?: Uint8Array; clock?: () => Date },
) {
  const clock = options.clock ?? (() => new Date());
  const keys = createApiKeyService(store.db as import("kysely").Kysely<ApiKeyTables>, clock);
  const banks = createBankService(createBankRepository(store.db as import("kysely").Kysely<BankTables>), clock);
  const liveIndex = createLiveIndex({ readChanges: banks.changesSince, databaseId: options.databaseId, snapshot: options.indexSnapshot });
  const knownMedia = createKnownMediaService({
    banks,
    index: liveIndex,
    settings: {
      pdqMode: config.pdqMode,
      pdqQualityMin: config.pdqQualityMin,
      limits: { maxBytes: config.maxUploadBytes, maxPixels: config.maxPixels },
    },
  });
  return { store, keys, banks, liveIndex, knownMedia };
}

export type Services = ReturnType<typeof createServices>;
