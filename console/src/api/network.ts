import { call } from "./http";
import type { NetworkCluster, NetworkDetail } from "./types";

/** One account of the network; `platformId` names its platform when it is not the default one (docs/tenancy.md). */
export const networkAccount = (id: string, platformId?: string) => call<NetworkDetail>("networkAccount", { params: { id }, query: { platform_id: platformId } });
export const networkClusters = () => call<{ clusters: NetworkCluster[] }>("networkClusters");
