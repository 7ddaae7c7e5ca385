// The portal and console build. Routes load lazily (src/routes.tsx), so the public first page
// carries only the shell; `npm run size:portal` measures it (≤ 300 KB gzipped).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500, sourcemap: false },
  // `npm run dev -w @kx/web` beside `npm start`: the API is proxied to the service.
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:3000' } },
});
