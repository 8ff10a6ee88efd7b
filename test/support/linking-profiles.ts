// Synthetic account profiles for the linker's scale test and benchmark: a crowd of ordinary
// accounts (generic bios copied by thousands, celebrities everyone follows, a default avatar)
// with planted backup accounts whose links are known. Neutral made-up words and services only.
// The scenario generator (src/scenario/) models a whole platform; this one models only what
// the linker reads, fast enough for a million profiles.
import type { AccountProfile } from "../../src/linking/index.js";
import { seededRandom } from "../../src/random/index.js";

const WORDS = ["mossy", "teacup", "quiet", "bird", "amber", "fern", "pebble", "lumen", "otter", "cinder", "maple", "drift", "harbor", "willow", "sprout",
  "comet", "velvet", "ember", "meadow", "brook", "cobalt", "juniper", "nimbus", "saffron", "thistle", "walnut", "zephyr", "hazel", "kestrel", "marble"];
const GENERIC_BIOS = ["artist | coffee", "just vibes", "living my best life", "music lover", "dog mom ✨", "gamer", "student", "travel • food • photos"];
const TOPICS = ["pottery", "birdwatching", "chess", "baking", "running", "poetry", "synths", "gardening", "film photography", "board games", "knitting", "climbing"];
const DEFAULT_AVATAR = "0".repeat(64);

/** Options of {@link syntheticProfiles}. */
export interface SyntheticProfileOptions {
  accounts: number;
  seed: number;
  /** Share of accounts that get a planted backup account (added on top of `accounts`). Default 0.01. */
  backupShare?: number;
  /** Accounts everyone may follow (power-law). Default 200. */
  celebrities?: number;
}

/** The profiles and the planted (main, backup) pairs. */
export interface SyntheticProfiles {
  profiles: AccountProfile[];
  planted: Array<{ main: string; backup: string }>;
}

/** Deterministic for a seed. Ids are `acct-N`; planted backups are `acct-N-bkp`. */
export function syntheticProfiles(options: SyntheticProfileOptions): SyntheticProfiles {
  const profiles = [...streamProfiles(options)];
  const planted = profiles.filter((p) => p.id.endsWith(BACKUP_SUFFIX)).map((p) => ({ main: p.id.slice(0, -BACKUP_SUFFIX.length), backup: p.id }));
  return { profiles, planted };
}

const BACKUP_SUFFIX = "-bkp";

/** The same profiles one at a time (a backup right after its main), for a million without holding them all. */
export function* streamProfiles(options: SyntheticProfileOptions): Generator<AccountProfile> {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const celebrities = options.celebrities ?? 200;
  const hex = (): string => {
    let out = "";
    for (let i = 0; i < 8; i++) out += Math.floor(random() * 0x100000000).toString(16).padStart(8, "0");
    return out;
  };
  const followeesOf = (count: number): string[] => {
    const out = new Set<string>();
    while (out.size < count) {
      // Power law: a few celebrities are followed by most, the rest of the follows spread over everyone.
      out.add(random() < 0.4 ? `acct-${Math.floor(celebrities * random() ** 3)}` : `acct-${Math.floor(random() * options.accounts)}`);
    }
    return [...out];
  };

  const backupShare = options.backupShare ?? 0.01;
  for (let i = 0; i < options.accounts; i++) {
    const handle = `${pick(WORDS)}_${pick(WORDS)}${i}`;
    const hasBackup = random() < backupShare;
    // Half the accounts that will need a backup list an off-platform handle the backup repeats.
    const contact = hasBackup && random() < 0.5 ? `${handle}_tg` : undefined;
    const isGeneric = random() < 0.5;
    const plainBio = isGeneric ? pick(GENERIC_BIOS) : `${pick(TOPICS)} and ${pick(TOPICS)} · ${pick(WORDS)} ${pick(WORDS)} club · since ${2000 + Math.floor(random() * 26)}`;
    const bio = contact === undefined ? plainBio : `${plainBio} · t.me/${contact}`;
    const profile: AccountProfile = {
      id: `acct-${i}`,
      handles: random() < 0.05 ? [handle, `${handle}_old`] : [handle],
      displayName: `${pick(WORDS)} ${pick(WORDS)}`,
      bio: random() < 0.05 ? `${bio} · shop.example/${handle}?utm_source=bio` : bio,
      avatarPdq: random() < 0.3 ? DEFAULT_AVATAR : hex(),
      followees: followeesOf(3 + Math.floor(random() * 20)),
    };
    yield profile;
    if (hasBackup) {
      const backup: AccountProfile = {
        id: `acct-${i}${BACKUP_SUFFIX}`,
        handles: [`${handle}_bkp${Math.floor(random() * 10)}`],
        displayName: profile.displayName,
        bio: `${pick(["bkp 4", "b4ckup of", "if", "new acc, old one"])} @${handle}${pick(["", " goes down follow here", " got taken down"])} · ${plainBio}${contact === undefined ? "" : ` · tg: @${contact}`}`,
        avatarPdq: profile.avatarPdq,
        followees: [...profile.followees!.slice(0, Math.max(1, profile.followees!.length - 2)), ...followeesOf(2)],
      };
      yield backup;
    }
  }
}
