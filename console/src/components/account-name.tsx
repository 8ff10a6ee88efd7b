/**
 * An account as the API names it: the platform's own id, and its platform when one Lapwing serves
 * several and the account is not the default platform's (docs/tenancy.md). Account "42" of two
 * platforms is two accounts, so the platform is always shown beside the id when there is one.
 */
export function AccountName({ id, platformId }: { id: string; platformId?: string }) {
  return (
    <>
      <code>{id}</code>
      {platformId !== undefined && <span className="muted small"> on {platformId}</span>}
    </>
  );
}

/** The console's link to the network around an account (`?platform=` for another platform than the default). */
export function networkPath(id: string, platformId?: string): string {
  return `/network/${encodeURIComponent(id)}${platformId === undefined ? "" : `?platform=${encodeURIComponent(platformId)}`}`;
}
