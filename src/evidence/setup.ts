import type { Config } from "../config/index.js";
import { keyringFrom, type Keyring } from "./crypto.js";
import type { RetentionSettings } from "./service.js";
import { createLocalStorage, createS3Storage, defaultEvidenceDir, type EvidenceStorage } from "./storage.js";

/** The storage backend the configuration names: an S3 bucket when one is set, else the local directory. */
export function storageFromConfig(config: Config): EvidenceStorage {
  if (config.evidenceS3Bucket !== "") {
    return createS3Storage({
      bucket: config.evidenceS3Bucket,
      prefix: config.evidenceS3Prefix,
      region: config.evidenceS3Region,
      endpoint: config.evidenceS3Endpoint,
      accessKeyId: config.evidenceS3AccessKeyId,
      secretAccessKey: config.evidenceS3SecretAccessKey,
      forcePathStyle: config.evidenceS3ForcePathStyle,
    });
  }
  return createLocalStorage(config.evidenceDir !== "" ? config.evidenceDir : defaultEvidenceDir(config.databaseUrl));
}

/** Retention from LAPWING_EVIDENCE_RETENTION_DAYS and LAPWING_EVIDENCE_RETENTION_BY_JURISDICTION. */
export function retentionFromConfig(config: Config): RetentionSettings {
  const byJurisdiction = new Map<string, number>();
  for (const pair of config.evidenceRetentionByJurisdiction.split(",")) {
    const [code, days] = pair.trim().split("=");
    if (code && days) byJurisdiction.set(code.toUpperCase(), Number(days));
  }
  return { days: config.evidenceRetentionDays, byJurisdiction, defaultJurisdiction: config.evidenceJurisdiction.toUpperCase() };
}

/**
 * The keyring, read on first use: a Lapwing without a master key runs
 * everything but evidence, and evidence work fails with `EVIDENCE_KEY_MISSING`
 * saying how to make one.
 */
export function keyringLoader(config: Config): () => Keyring {
  let keyring: Keyring | undefined;
  return () => (keyring ??= keyringFrom(config));
}
