/** Options of {@link generateScenario}. */
export interface ScenarioOptions {
  /** Accounts in the scenario, at least {@link minScenarioAccounts}. Default 3,000 (well under a second). */
  readonly accounts?: number;
  /** Same seed, same scenario, byte for byte. Default 1. */
  readonly seed?: number;
}

export const defaultScenarioAccounts = 3000;
export const minScenarioAccounts = 1000;
export const maxScenarioAccounts = 5_000_000;
/** The planted network's size is capped: the investigation found hundreds of sellers, not a share of the platform. */
export const maxNetworkSize = 1500;

/** How many accounts of each kind a scenario of `accounts` accounts has. */
export interface ScenarioScale {
  readonly accounts: number;
  readonly sellers: number;
  readonly sellerBackups: number;
  readonly celebrities: number;
  readonly teens: number;
  readonly staff: number;
  readonly benignSellers: number;
  readonly benignBackups: number;
  readonly reporters: number;
  readonly buyers: number;
  readonly fresh: number;
  /** Teens that network members follow or message. */
  readonly targeted: number;
  /** Interest communities. */
  readonly communities: number;
  /** Entries of the synthetic hash bank. */
  readonly bankEntries: number;
}

/**
 * The scale knobs, all derived from the account count: the network is about
 * 0.6% of accounts (at least 30, at most {@link maxNetworkSize}), a quarter of
 * it backups; 12% of accounts are teens; buyers are three per seller.
 */
export function scenarioScale(accounts: number): ScenarioScale {
  const network = Math.min(maxNetworkSize, Math.max(30, Math.round(accounts * 0.006)));
  const sellerBackups = Math.round(network * 0.28);
  const sellers = network - sellerBackups;
  const teens = Math.round(accounts * 0.12);
  const benignSellers = Math.max(8, Math.round(accounts * 0.006));
  return {
    accounts,
    sellers,
    sellerBackups,
    celebrities: Math.max(5, Math.round(accounts * 0.0005)),
    teens,
    staff: Math.max(3, Math.round(teens / 60)),
    benignSellers,
    benignBackups: Math.round(benignSellers * 0.25),
    reporters: Math.max(3, Math.round(network * 0.08)),
    buyers: sellers * 3,
    fresh: Math.max(10, Math.round(accounts * 0.03)),
    targeted: Math.min(teens, Math.round(network * 0.4)),
    communities: Math.max(6, Math.round(accounts / 800)),
    bankEntries: Math.max(40, sellers * 2),
  };
}
