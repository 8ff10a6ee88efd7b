import { call } from "./http";
import type { NetworkCluster, NetworkDetail } from "./types";

export const networkAccount = (id: string) => call<NetworkDetail>("networkAccount", { params: { id } });
export const networkClusters = () => call<{ clusters: NetworkCluster[] }>("networkClusters");
