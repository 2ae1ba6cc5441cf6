import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The web UI is built into dist/ui and served by the gateway at /ui; nothing is loaded from the network. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/ui/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/api': 'http://localhost:3333' },
  },
});
