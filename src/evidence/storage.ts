import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { LapwingError } from "../errors/index.js";

/**
 * Where the vault keeps ciphertext. Objects are opaque (already encrypted);
 * keys are `<case id>/<item id>` and never contain platform data.
 */
export interface EvidenceStorage {
  /** `local` or `s3`, for logs and `lapwing evidence` output. */
  readonly kind: "local" | "s3";
  /** Stores the object durably before resolving (overwriting is only used by tests and tamper checks). */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The object's bytes, or undefined when it is gone. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
}

const keyPattern = /^[A-Za-z0-9_-]{1,100}\/[A-Za-z0-9_-]{1,100}$/;

function checkKey(key: string): void {
  // Keys are built from Lapwing's own ids; anything else (a "..", a slash more) is a bug, refused before it touches a path.
  if (!keyPattern.test(key)) throw new Error(`Invalid evidence object key ${JSON.stringify(key)}.`);
}

function storageFailed(what: string, error: unknown): LapwingError {
  return new LapwingError("EVIDENCE_STORAGE_FAILED", `${what}: ${error instanceof Error ? error.message : String(error)}. Check the evidence storage settings (LAPWING_EVIDENCE_DIR or LAPWING_EVIDENCE_S3_*).`);
}

/**
 * Files under `dir`, one per object, written to a temporary name, synced and
 * renamed, so a crash leaves either the whole object or none.
 */
export function createLocalStorage(dir: string): EvidenceStorage {
  const root = resolve(dir);
  return {
    kind: "local",
    async put(key, bytes) {
      checkKey(key);
      const path = join(root, key);
      const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await writeFile(temp, bytes, { mode: 0o600, flush: true });
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw storageFailed(`Could not write evidence to ${root}`, error);
      }
    },
    async get(key) {
      checkKey(key);
      try {
        return await readFile(join(root, key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw storageFailed(`Could not read evidence from ${root}`, error);
      }
    },
    async delete(key) {
      checkKey(key);
      await rm(join(root, key), { force: true });
    },
  };
}

export interface S3StorageSettings {
  bucket: string;
  /** Object key prefix (`lapwing-evidence/`), so one bucket can serve several things. */
  prefix: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, Ceph, R2…); empty for AWS itself. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle: boolean;
}

/**
 * An S3 bucket, through the AWS SDK's S3 client. The SDK (a large module
 * tree) is loaded on the first use, not when the services are wired, so a
 * server starts without it.
 */
export function createS3Storage(settings: S3StorageSettings): EvidenceStorage & { client(): Promise<S3Client> } {
  const config: S3ClientConfig = { region: settings.region, forcePathStyle: settings.forcePathStyle };
  if (settings.endpoint) config.endpoint = settings.endpoint;
  if (settings.accessKeyId) config.credentials = { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey };
  let loaded: Promise<{ client: S3Client; sdk: typeof import("@aws-sdk/client-s3") }> | undefined;
  const load = () => (loaded ??= import("@aws-sdk/client-s3").then((sdk) => ({ client: new sdk.S3Client(config), sdk })));
  const where = `s3://${settings.bucket}/${settings.prefix}`;
  return {
    kind: "s3",
    client: async () => (await load()).client,
    async put(key, bytes) {
      checkKey(key);
      try {
        const { client, sdk: { PutObjectCommand } } = await load();
        await client.send(new PutObjectCommand({ Bucket: settings.bucket, Key: settings.prefix + key, Body: bytes, ContentType: "application/octet-stream" }));
      } catch (error) {
        throw storageFailed(`Could not write evidence to ${where}`, error);
      }
    },
    async get(key) {
      checkKey(key);
      try {
        const { client, sdk: { GetObjectCommand } } = await load();
        const out = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: settings.prefix + key }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === "NoSuchKey" || name === "NotFound") return undefined;
        throw storageFailed(`Could not read evidence from ${where}`, error);
      }
    },
    async delete(key) {
      checkKey(key);
      try {
        const { client, sdk: { DeleteObjectCommand } } = await load();
        await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: settings.prefix + key }));
      } catch (error) {
        throw storageFailed(`Could not delete evidence from ${where}`, error);
      }
    },
  };
}

/** The local evidence directory for a database URL: beside the SQLite file, else `./data/evidence`. */
export function defaultEvidenceDir(databaseUrl: string): string {
  if (databaseUrl.startsWith("sqlite:")) {
    const path = databaseUrl.slice("sqlite:".length);
    if (path !== "" && path !== ":memory:") return `${path}.evidence`;
  }
  return "./data/evidence";
}
