import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

/** What the HTML report inlines so that it opens with no network: the chart library and the page's own script. */
export interface ChartAssets {
  /** uPlot's browser build (MIT), pinned in package.json. */
  chartLibraryJs: string;
  chartLibraryCss: string;
  /** The script that draws the report's charts from its embedded data. */
  pageJs: string;
}

/** Reads the chart assets from the installed uPlot package and this folder. */
export async function loadChartAssets(): Promise<ChartAssets> {
  const require = createRequire(import.meta.url);
  const [chartLibraryJs, chartLibraryCss, pageJs] = await Promise.all([
    readFile(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
    readFile(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
    readFile(new URL("./page-script.js", import.meta.url), "utf8"),
  ]);
  return { chartLibraryJs, chartLibraryCss, pageJs };
}
