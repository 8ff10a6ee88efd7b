import { readFileSync } from "node:fs";
import { z } from "zod";
import { LapwingError } from "../errors/index.js";

/** Help shown with a blocked search, in place of any way through. */
export interface HelpResource {
  /** Who it is for, in a sentence a searcher reads. */
  audience: string;
  title: string;
  url: string;
  description: string;
}

/**
 * The defaults: help for people worried about their own thoughts or
 * behaviour, help for young people whose images were shared, and where to
 * report. Operators replace them with LAPWING_HELP_RESOURCES_FILE (for their
 * country, language, or their own report flow).
 */
export const defaultHelpResources: readonly HelpResource[] = Object.freeze([
  {
    audience: "If you are worried about your own sexual thoughts or behaviour towards children",
    title: "Stop It Now",
    url: "https://www.stopitnow.org/",
    description: "Confidential, anonymous help and a helpline for people concerned about their own or someone else's behaviour.",
  },
  {
    audience: "If a nude or sexual image of you was shared when you were under 18",
    title: "Take It Down (NCMEC)",
    url: "https://takeitdown.ncmec.org/",
    description: "A free service that helps remove or stop the online sharing of such images.",
  },
  {
    audience: "If you have seen a child being sexually exploited online",
    title: "Report to the NCMEC CyberTipline",
    url: "https://report.cybertip.org/",
    description: "Report it to the National Center for Missing & Exploited Children; you can also report the content on this platform.",
  },
]);

const resourceList = z
  .array(z.object({ audience: z.string().min(1), title: z.string().min(1), url: z.url({ protocol: /^https?$/ }), description: z.string() }).strict())
  .min(1);

/** Reads an operator's help resources (a JSON array), refusing anything malformed with a clear message. */
export function loadHelpResources(path: string): readonly HelpResource[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new LapwingError("CONFIG_INVALID", `Cannot read the help resources file ${path} (LAPWING_HELP_RESOURCES_FILE): ${(error as Error).message}`);
  }
  const parsed = resourceList.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LapwingError(
      "CONFIG_INVALID",
      `The help resources file ${path} must be a JSON array of {audience, title, url, description}; at /${issue.path.join("/")}: ${issue.message}.`,
    );
  }
  return Object.freeze(parsed.data);
}
