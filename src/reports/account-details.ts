import { z } from "zod";
import { accountRefOf, createMediaFetcher } from "../events/index.js";
import { captureEventNames } from "./types.js";

const text = (max: number) => z.string().min(1).max(max);
const ipEvent = z.object({
  ipAddress: text(255),
  eventName: z.enum(captureEventNames).optional(),
  dateTime: z.iso.datetime({ offset: true }).optional(),
  possibleProxy: z.boolean().optional(),
  port: z.number().int().min(0).max(65535).optional(),
});

/**
 * What the platform's account-details callback answers for one account: what
 * the platform holds and Lapwing does not (email addresses, IP capture
 * events), plus the names and pages NCMEC asks for. Every field is optional;
 * unknown fields are ignored.
 */
export const accountDetailsSchema = z.object({
  screenName: text(256).optional(),
  displayNames: z.array(text(256)).max(20).optional(),
  profileUrls: z.array(text(2083)).max(20).optional(),
  emails: z
    .array(z.object({ address: text(255), type: z.enum(["Home", "Work", "Business", "Recovery"]).optional(), verified: z.boolean().optional() }))
    .max(50)
    .optional(),
  ipCaptureEvents: z.array(ipEvent).max(500).optional(),
  /** Pages where the reported content was (webPageIncident urls). */
  contentUrls: z.array(text(2083)).max(100).optional(),
  /** Children the platform knows were involved (the recipients of the content, say). */
  victims: z
    .array(z.object({ espIdentifier: text(255).optional(), screenName: text(256).optional(), age: z.number().int().min(0).max(17).optional() }))
    .max(20)
    .optional(),
});
export type AccountDetails = z.infer<typeof accountDetailsSchema>;

export type AccountDetailsResult = { ok: true; details: AccountDetails } | { ok: false; message: string };

/** Where account details come from: the platform's callback, or nothing when none is configured. */
export interface AccountDetailsSource {
  readonly isConfigured: boolean;
  /** `accountKey` is the account's scoped key (src/events/tenancy.ts). */
  fetch(accountKey: string): Promise<AccountDetailsResult>;
}

export interface AccountDetailsOptions {
  /** LAPWING_ACCOUNT_DETAILS_URL; the account id is added as `?accountId=`. Empty: no callback. */
  url: string;
  /** Sent as `Authorization: Bearer …` when set; never logged. */
  token: string;
  timeoutMs: number;
  /** Allow a callback on loopback or a private network (the platform beside Lapwing). */
  allowPrivateAddresses: boolean;
  resolve?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
}

/**
 * The platform's account-details callback: `GET URL?accountId=ID` answering
 * {@link accountDetailsSchema} as JSON, through the SSRF-guarded fetcher of
 * src/events (only the configured host, addresses checked and pinned, no
 * redirects, a size cap and a timeout). Never throws: a failure comes back
 * with a message that says what to check.
 */
export function createAccountDetailsSource(options: AccountDetailsOptions): AccountDetailsSource {
  if (options.url === "") return { isConfigured: false, fetch: async () => ({ ok: true, details: {} }) };
  const base = new URL(options.url);
  const fetcher = createMediaFetcher({
    allowedHosts: [base.hostname.toLowerCase().replace(/^\[|\]$/g, "")],
    maxBytes: 1024 * 1024,
    timeoutMs: options.timeoutMs,
    accept: "application/json",
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    allowPrivateAddresses: options.allowPrivateAddresses,
    resolve: options.resolve,
  });
  return {
    isConfigured: true,
    async fetch(accountKey) {
      // The platform's own id, and its platform when it is not the default one (docs/tenancy.md).
      const { id, platformId } = accountRefOf(accountKey);
      const url = new URL(base);
      url.searchParams.set("accountId", id);
      if (platformId !== undefined) url.searchParams.set("platformId", platformId);
      const result = await fetcher.fetchMedia(url.toString());
      if (!result.ok) return { ok: false, message: `The account-details callback (LAPWING_ACCOUNT_DETAILS_URL) failed: ${result.message}` };
      let json: unknown;
      try {
        json = JSON.parse(result.bytes.toString("utf8"));
      } catch {
        return { ok: false, message: "The account-details callback answered something that is not JSON." };
      }
      const parsed = accountDetailsSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return { ok: false, message: `The account-details callback answered an unexpected shape at /${issue.path.join("/")}: ${issue.message}.` };
      }
      return { ok: true, details: parsed.data };
    },
  };
}
