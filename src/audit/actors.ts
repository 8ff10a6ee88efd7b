/**
 * The actor strings the log uses, so every caller spells them alike:
 * `key:<id>:<name>` for an API key, `user:<id>` for a console user,
 * `system` for Lapwing's own workers, `cli` for an operator at the command line.
 *
 * @example
 * audit.record(trx, { actor: auditActor.key(key.id, key.name), action: "bank.create", target: { type: "bank", id } });
 */
export const auditActor = {
  system: "system",
  cli: "cli",
  key: (id: string, name: string) => `key:${id}:${name}`,
  user: (id: string) => `user:${id}`,
} as const;
