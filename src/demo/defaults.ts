// Apart from the seeding code so that `lapwing demo --help` can print the default without loading it.

/** Accounts in the demo's platform: enough for a queue of every kind of case, processed in well under a minute on two cores. */
export const defaultDemoAccounts = 1000;
