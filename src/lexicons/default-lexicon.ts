import type { Lexicon } from "../text/index.js";
import { textSurfaces } from "./surfaces.js";
import type { BuiltInLexicon } from "./service.js";

const wsj2023 =
  "Wall Street Journal, 'Instagram Connects Vast Pedophile Network', 7 June 2023, and Stanford Internet Observatory, 'Cross-Platform Dynamics of Self-Generated CSAM', June 2023 (hashtags Instagram let users search)";
const latapy2013 =
  "Latapy, Magnien & Fournier, 'Quantifying paedophile activity in a large P2P system', Information Processing & Management 49(1), 2013 (keywords used to find abuse material)";
const fbi2007 = "FBI Cyber Division intelligence bulletin 'Symbols and Logos Used by Pedophiles to Identify Sexual Preferences', 31 January 2007 (public)";

/**
 * The default lexicon: only terms already documented in public reporting and
 * research, each with its source, so a small server is covered on day one
 * without Lapwing publishing anything new. It is deliberately short and
 * precise; operators import their own lists (NGO keyword lists, their own
 * moderation findings) beside it. Terms that are ambiguous in ordinary speech
 * are left out, or marked `review` rather than `block`.
 */
export const defaultLexicon: Lexicon = {
  entries: [
    { term: "pedowhore", category: "coded-term", severity: "block", source: wsj2023 },
    { term: "preteensex", category: "coded-term", severity: "block", source: wsj2023 },
    { term: "pthc", category: "coded-term", severity: "block", source: latapy2013, note: "'pre-teen hard core'" },
    { term: "hussyfan", category: "coded-term", severity: "block", source: latapy2013 },
    { term: "r@ygold", category: "coded-term", severity: "block", source: latapy2013 },
    { term: "childlover", category: "coded-term", severity: "review", source: `${latapy2013}; ${fbi2007}` },
    { term: "boylover", category: "coded-term", severity: "review", source: fbi2007 },
    { term: "girllover", category: "coded-term", severity: "review", source: fbi2007 },
  ],
};

export const builtInLexicon: BuiltInLexicon = { name: "default", lexicon: defaultLexicon, surfaces: textSurfaces };
