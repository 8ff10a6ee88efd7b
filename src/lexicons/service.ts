import type { Kysely } from "kysely";
import { auditActor, type AuditLog } from "../audit/index.js";
import { LapwingError } from "../errors/index.js";
import { newId } from "../store/index.js";
import type { Lexicon } from "../text/index.js";
import { assessBreadth, describeTooBroad, type LexiconBreadth } from "./breadth.js";
import { compileWhole, lazyVocabulary } from "./compile.js";
import type { LexiconRepository, LexiconRow } from "./repository.js";
import { textSurfaces, type TextSurface } from "./surfaces.js";

export interface LexiconInfo {
  name: string;
  surfaces: TextSurface[];
  entryCount: number;
  updatedAt: string | null;
  /** The default lexicon shipped with Lapwing (read-only; store one named "default" to replace it). */
  builtIn: boolean;
}

export interface BuiltInLexicon {
  name: string;
  lexicon: Lexicon;
  surfaces: readonly TextSurface[];
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Stored lexicons: validated, compiled once to prove they work, replaced whole. */
export function createLexiconService(
  repo: LexiconRepository,
  options: {
    builtIn?: BuiltInLexicon;
    clock?: () => Date;
    audit?: AuditLog;
    /** The registry's vocabulary: the breadth check must ignore the misspellings the live matcher ignores. */
    vocabulary?: () => Iterable<string>;
  } = {},
) {
  const clock = options.clock ?? (() => new Date());
  const vocabulary = lazyVocabulary(options.vocabulary);
  const builtIn = options.builtIn;

  async function list(): Promise<LexiconInfo[]> {
    const stored = (await repo.listLive()).map(toInfo);
    if (builtIn && !stored.some((l) => l.name === builtIn.name)) {
      stored.push({ name: builtIn.name, surfaces: [...builtIn.surfaces], entryCount: builtIn.lexicon.entries.length, updatedAt: null, builtIn: true });
    }
    return stored.sort((a, b) => a.name.localeCompare(b.name));
  }

  async function get(name: string): Promise<LexiconInfo & { lexicon: Lexicon }> {
    const row = await repo.findLive(name);
    if (row) return { ...toInfo(row), lexicon: JSON.parse(row.content) as Lexicon };
    if (builtIn && name === builtIn.name) {
      return { name, surfaces: [...builtIn.surfaces], entryCount: builtIn.lexicon.entries.length, updatedAt: null, builtIn: true, lexicon: builtIn.lexicon };
    }
    throw new LapwingError("LEXICON_NOT_FOUND", `No lexicon is named "${name}"; list them with \`lapwing lexicon list\` or GET /v1/lexicons.`);
  }

  /**
   * Creates or replaces the lexicon `name`. The whole list is validated and
   * compiled first, so a bad file never replaces a good one. Its terms are
   * then matched against a benign sample (see `assessBreadth`): a term that
   * cannot be meant (one letter, punctuation only, or hitting ordinary texts)
   * is refused with `LEXICON_TOO_BROAD` unless `force` is set. The answer
   * carries the breadth report either way.
   */
  async function put(
    name: string,
    lexicon: unknown,
    surfaces?: readonly string[],
    actor: string = auditActor.system,
    choices: { force?: boolean } = {},
  ): Promise<LexiconInfo & { created: boolean; breadth: LexiconBreadth }> {
    if (!namePattern.test(name)) {
      throw new LapwingError("VALIDATION_FAILED", `A lexicon name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit; got ${JSON.stringify(name.slice(0, 80))}.`, { pointer: "/name" });
    }
    const chosen = validSurfaces(surfaces);
    // Compiled as the registry compiles it, so the breadth check sees only the hits production would report.
    const compiled = compileWhole(lexicon, vocabulary);
    const breadth = assessBreadth(compiled);
    if (breadth.isTooBroad && !choices.force) {
      throw new LapwingError(
        "LEXICON_TOO_BROAD",
        `Some terms would match ordinary text: ${describeTooBroad(breadth)}. Remove or lengthen them, or store the lexicon anyway with --force (CLI) or "force": true (API).`,
        { details: breadth },
      );
    }
    const content = JSON.stringify({ entries: compiled.entries, ...(compiled.names.length > 0 ? { names: compiled.names } : {}) });
    const now = clock().toISOString();
    return repo.transaction(async (trx) => {
      const existing = await repo.findLive(name, trx);
      const surfacesText = chosen.join(",");
      await options.audit?.record(trx as unknown as Kysely<unknown>, {
        actor,
        action: existing ? "lexicon.replace" : "lexicon.create",
        target: { type: "lexicon", id: name },
        details: { entries: compiled.entries.length, ...(breadth.isTooBroad ? { forcedTooBroad: breadth.terms.filter((t) => t.problems.length > 0).map((t) => t.term) } : {}), ...(existing ? { previousEntries: Number(existing.entry_count) } : {}), surfaces: surfaces ? chosen : existing ? parseSurfaces(existing.surfaces) : chosen },
      });
      if (existing) {
        await repo.replace(trx, existing.id, { surfaces: surfaces ? surfacesText : existing.surfaces, content, entry_count: compiled.entries.length, updated_at: now });
        return { name, surfaces: surfaces ? chosen : parseSurfaces(existing.surfaces), entryCount: compiled.entries.length, updatedAt: now, builtIn: false, created: false, breadth };
      }
      await repo.insert(trx, { id: newId(clock().getTime()), name, surfaces: surfacesText, content, entry_count: compiled.entries.length, created_at: now, updated_at: now });
      return { name, surfaces: chosen, entryCount: compiled.entries.length, updatedAt: now, builtIn: false, created: true, breadth };
    });
  }

  async function remove(name: string, actor: string = auditActor.system): Promise<void> {
    await repo.transaction(async (trx) => {
      const existing = await repo.findLive(name, trx);
      if (!existing) {
        const hint = builtIn && name === builtIn.name ? " The built-in default lexicon cannot be deleted; set LAPWING_DEFAULT_LEXICON=false to turn it off." : "";
        throw new LapwingError("LEXICON_NOT_FOUND", `No stored lexicon is named "${name}".${hint}`);
      }
      await repo.softDelete(trx, existing.id, clock().toISOString());
      await options.audit?.record(trx as unknown as Kysely<unknown>, { actor, action: "lexicon.delete", target: { type: "lexicon", id: name }, details: { entries: Number(existing.entry_count) } });
    });
  }

  return { list, get, put, remove, changesSince: repo.changesSince };
}

export type LexiconService = ReturnType<typeof createLexiconService>;

export function parseSurfaces(text: string): TextSurface[] {
  return text.split(",").filter(Boolean) as TextSurface[];
}

function validSurfaces(surfaces: readonly string[] | undefined): TextSurface[] {
  if (surfaces === undefined) return [...textSurfaces];
  const unknown = surfaces.filter((s) => !(textSurfaces as readonly string[]).includes(s));
  if (surfaces.length === 0 || unknown.length > 0) {
    throw new LapwingError("VALIDATION_FAILED", `Surfaces are one or more of ${textSurfaces.join(", ")}${unknown.length ? `; got ${unknown.join(", ")}` : ""}.`, { pointer: "/surfaces" });
  }
  return [...new Set(surfaces)] as TextSurface[];
}

function toInfo(row: LexiconRow): LexiconInfo {
  return { name: row.name, surfaces: parseSurfaces(row.surfaces), entryCount: Number(row.entry_count), updatedAt: row.updated_at, builtIn: false };
}
