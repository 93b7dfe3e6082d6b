import { resolve } from "node:path";
import { defineConfig } from "vite";

// Served by the service at /app/ (accountability/web.py); assets are hashed and cached.
export default defineConfig({
  base: "/app/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Everything in files: the pages' Content-Security-Policy allows no inline code.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, "index.html"),
        query: resolve(import.meta.dirname, "query.html"),
      },
    },
  },
});
