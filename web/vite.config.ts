// Vite builds the page into dist/, which the server serves; vitest runs src/**/*.test.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/ogc', '/tiles', '/style.json', '/basemap'].map((p) => [p, 'http://127.0.0.1:8080'])),
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
