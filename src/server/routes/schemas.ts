import { z } from "zod";
import { matchVerdicts, signalTypes } from "../../banks/index.js";
import { platformIdField } from "../../events/index.js";
import { orientations } from "../../known-media/index.js";

// Response shapes shared by several route files. Serialising through them
// drops any field not declared here, so nothing is disclosed by accident.

/**
 * A feed position (`seq`, `next`, an audit `position`) in a query string:
 * digits only, so a mangled cursor (`after=zz'`, `after=`) is a 400 with a
 * pointer rather than an empty page the client would take for "nothing new".
 */
export const seqCursor = z
  .string()
  .regex(/^[0-9]{1,15}$/, "a cursor is a whole number: the seq (or next, or position) of the last item you read")
  .transform(Number);

/**
 * Which platform an account id given beside it belongs to (`?platform_id=`): account ids are unique per
 * platform; absent, the default platform's account is meant (docs/tenancy.md). Validated as events' `platform_id`.
 */
export const accountPlatformParam = platformIdField.optional().describe("The platform of the account named; absent for the default platform (docs/tenancy.md)");

/** An answer's `platformId` beside an account id: left out for the default platform, so its answers keep their shape. */
export const accountPlatformField = z.string().optional().describe("The account's platform, when it is not the default platform (docs/tenancy.md)");

/** The shape of an id Lapwing issued (src/store/ids.ts). */
const lapwingIdPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** An id cursor (`nextCursor` of the previous page, or a job id): a 26-character Lapwing id. */
export const idCursor = z.string().regex(lapwingIdPattern, "a cursor is the nextCursor (a 26-character id) of the previous page");
/** An id Lapwing issued: anything else is refused as malformed before any lookup. */
export const lapwingId = (what: string) => z.string().regex(lapwingIdPattern, `${what} is the 26-character id Lapwing gave (digits and capital letters)`);

export const hex = (digits: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${digits}}$`), `${digits} hexadecimal digits`);

export const dihedralHashes = z.object(Object.fromEntries(orientations.map((o) => [o, hex(64)])) as Record<(typeof orientations)[number], ReturnType<typeof hex>>);

export const mediaHashes = z.object({
  pdq: z.string(),
  quality: z.number().int(),
  md5: z.string(),
  sha256: z.string(),
  format: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  dihedral: dihedralHashes.optional(),
});

/** The hashes of a checked file: the digests always; the image fields only when it decoded. */
export const checkedHashes = mediaHashes.partial().required({ md5: true, sha256: true });

/** Why a checked file has no PDQ hash. */
export const pdqError = z
  .object({ code: z.string(), message: z.string() })
  .describe("Present when no PDQ hash could be computed (not an image, corrupt, too many pixels, over its memory or time budget); the MD5 and SHA-256 digests were matched all the same.");

export const hashMatch = z.object({
  signalType: z.enum(signalTypes),
  distance: z.number().int(),
  orientation: z.enum(orientations).optional(),
  bank: z.object({ id: z.string(), name: z.string(), matchVerdict: z.enum(matchVerdicts) }),
  entry: z.object({ id: z.string(), signal: z.string(), source: z.string(), category: z.string(), note: z.string(), addedAt: z.string() }),
});

export const verdict = z.enum(["allow", ...matchVerdicts]);

export const checkResult = z.object({ verdict, matches: z.array(hashMatch), notes: z.array(z.string()) });

export const bank = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  pdqThreshold: z.number().int(),
  matchVerdict: z.enum(matchVerdicts),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const bankEntry = z.object({
  id: z.string(),
  bankId: z.string(),
  signalType: z.enum(signalTypes),
  signal: z.string(),
  source: z.string(),
  category: z.string(),
  note: z.string(),
  addedAt: z.string(),
  removedAt: z.string().nullable(),
});
