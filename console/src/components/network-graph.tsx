import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import { useEffect, useRef } from "react";
import type { NetworkDetail } from "../api/types";

/** Node colours by role; suspected and candidate accounts deepen with their score. Paired with words in the legend. */
export const roleColours: Record<NetworkDetail["role"], string> = {
  seed: "#7a1b1b",
  cleared: "#1b6e3a",
  suspected: "#c2410c",
  candidate: "#d97706",
  target: "#1f4fa3",
  account: "#8a94a6",
};
export const roleNames: Record<NetworkDetail["role"], string> = {
  seed: "seed (confirmed)",
  cleared: "cleared (dismissed)",
  suspected: "suspected",
  candidate: "candidate",
  target: "targeted minor",
  account: "other account",
};

export interface GraphNode {
  account: string;
  score: number;
  role: NetworkDetail["role"] | null;
}
export interface GraphEdge {
  source: string;
  target: string;
  kind: "follows" | "mutual" | "link";
  explanation: string;
}

/**
 * The neighbourhood as an interactive graph (cytoscape): drag, zoom, click a
 * node or an edge to see why it is there. Rebuilt when the elements change.
 */
export function NetworkGraph({ focus, nodes, edges, onSelectNode, onSelectEdge }: { focus: string; nodes: GraphNode[]; edges: GraphEdge[]; onSelectNode(account: string): void; onSelectEdge(edge: GraphEdge): void }) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const handlers = useRef({ onSelectNode, onSelectEdge });
  handlers.current = { onSelectNode, onSelectEdge };

  useEffect(() => {
    const elements: ElementDefinition[] = [
      ...nodes.map((n) => ({
        data: {
          id: n.account,
          label: n.account,
          colour: roleColours[n.role ?? "account"],
          size: 18 + Math.round(Math.min(1, Math.max(0, n.score)) * 30),
          border: n.account === focus ? 5 : 1,
        },
      })),
      ...edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target, kind: e.kind, index: i } })),
    ];
    const instance = cytoscape({
      container: box.current!,
      elements,
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90 },
      wheelSensitivity: 0.3,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            label: "data(label)",
            width: "data(size)",
            height: "data(size)",
            "font-size": 10,
            color: "#1b2230",
            "text-valign": "bottom",
            "text-margin-y": 4,
            "border-width": "data(border)",
            "border-color": "#f0b400",
          },
        },
        { selector: "edge", style: { width: 1.5, "line-color": "#9aa4b5", "target-arrow-color": "#9aa4b5", "target-arrow-shape": "triangle", "curve-style": "bezier" } },
        { selector: 'edge[kind = "mutual"]', style: { "source-arrow-shape": "triangle", "source-arrow-color": "#9aa4b5", width: 2.5 } },
        { selector: 'edge[kind = "link"]', style: { "line-color": "#a32121", "target-arrow-color": "#a32121", "line-style": "dashed", width: 2.5 } },
        { selector: ":selected", style: { "overlay-opacity": 0.15, "overlay-color": "#f0b400" } },
      ],
    });
    instance.on("tap", "node", (event) => handlers.current.onSelectNode(event.target.id()));
    instance.on("tap", "edge", (event) => handlers.current.onSelectEdge(edges[event.target.data("index") as number]!));
    cy.current = instance;
    return () => instance.destroy();
  }, [focus, nodes, edges]);

  return <div ref={box} className="network-graph" data-testid="network-graph" role="img" aria-label={`Network around ${focus}: ${nodes.length} accounts, ${edges.length} ties`} />;
}
