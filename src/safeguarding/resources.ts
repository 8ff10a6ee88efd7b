import { readFileSync } from "node:fs";
import { z } from "zod";
import { LapwingError } from "../errors/index.js";
import type { HelpResource } from "../search-gate/index.js";

/**
 * Help for a young person, by country (ISO 3166-1 alpha-2, upper case) with a
 * `default` list for everywhere else. Sent whole with `account.safeguard`:
 * the platform knows where its user is, Lapwing does not.
 */
export type SafeguardResources = Readonly<Record<string, readonly HelpResource[]>>;

const youngPerson = "If a nude or sexual image of you was shared, or someone is threatening to share one";

/** The built-in list. Take It Down first everywhere: it lets a minor get their images hash-blocked without sending them. */
export const defaultSafeguardResources: SafeguardResources = Object.freeze({
  default: [
    {
      audience: youngPerson,
      title: "Take It Down (NCMEC)",
      url: "https://takeitdown.ncmec.org/",
      description: "Free and anonymous: make a hash (a digital fingerprint) of the image on your own device, and participating platforms block it. The image never leaves your device.",
    },
    {
      audience: "If someone is threatening you or asking for more images",
      title: "NCMEC: help for sextortion",
      url: "https://www.missingkids.org/theissues/sextortion",
      description: "You are not in trouble. Stop replying, do not pay, keep the messages, and tell a trusted adult; NCMEC can help get images removed.",
    },
  ],
  US: [
    { audience: youngPerson, title: "Take It Down (NCMEC)", url: "https://takeitdown.ncmec.org/", description: "Free and anonymous hash-blocking of your images on participating platforms." },
    { audience: "If you feel overwhelmed or unsafe", title: "988 Suicide & Crisis Lifeline", url: "https://988lifeline.org/", description: "Call or text 988, any time, free and confidential." },
  ],
  GB: [
    { audience: youngPerson, title: "Report Remove (Childline and the IWF)", url: "https://www.childline.org.uk/info-advice/bullying-abuse-safety/online-mobile-safety/remove-nude-image-shared-online/", description: "If you are under 18, report a nude image of you to get it removed; Childline supports you throughout." },
    { audience: "If you need to talk to someone", title: "Childline", url: "https://www.childline.org.uk/", description: "Call 0800 1111 or chat online, free and confidential, for anyone under 19." },
  ],
  CA: [{ audience: youngPerson, title: "NeedHelpNow.ca", url: "https://needhelpnow.ca/", description: "Steps to get sexual images of you removed, and where to get support (Canadian Centre for Child Protection)." }],
  AU: [{ audience: youngPerson, title: "eSafety Commissioner", url: "https://www.esafety.gov.au/young-people", description: "Report image-based abuse and sextortion and get it removed." }],
});

const resource = z.object({ audience: z.string().min(1), title: z.string().min(1), url: z.url({ protocol: /^https?$/ }), description: z.string() }).strict();
const resourceFile = z
  .record(z.string().regex(/^(default|[A-Z]{2})$/, "keys are `default` or a two-letter country code in upper case"), z.array(resource).min(1))
  .refine((v) => v.default !== undefined, { message: "a `default` list is required (help for countries not listed)" });

/** Reads an operator's safeguarding resources file (LAPWING_SAFEGUARD_RESOURCES_FILE), refusing anything malformed. */
export function loadSafeguardResources(path: string): SafeguardResources {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new LapwingError("CONFIG_INVALID", `Cannot read the safeguarding resources file ${path} (LAPWING_SAFEGUARD_RESOURCES_FILE): ${(error as Error).message}`);
  }
  const parsed = resourceFile.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LapwingError("CONFIG_INVALID", `The safeguarding resources file ${path} must map "default" and country codes to lists of {audience, title, url, description}; at /${issue.path.join("/")}: ${issue.message}.`);
  }
  return Object.freeze(parsed.data);
}
