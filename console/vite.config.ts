import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The console is built into console/dist and served by `lapwing serve` at `/`.
// No inline scripts or styles (the server's Content-Security-Policy forbids them),
// and during `vite` development the API is proxied to a local `lapwing serve`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, assetsInlineLimit: 0, sourcemap: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { "/v1": "http://127.0.0.1:7878", "/openapi.json": "http://127.0.0.1:7878" } },
});
