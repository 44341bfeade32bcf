import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { BLUR_ASSET_FILES, BLUR_ASSET_PATH, BLUR_PACKAGE } from './src/client/blurAssets.js';

/**
 * Background blur's model and WebAssembly runtime come from an npm package and are served by Convene
 * itself under /blur/ (never from a CDN): the build copies exactly the files the browser code may ask
 * for (src/client/blurAssets.ts) into dist/web/blur/, and `vite dev` serves them from node_modules.
 */
function blurAssets(): Plugin {
  const dir = path.dirname(createRequire(import.meta.url).resolve(`${BLUR_PACKAGE}/package.json`));
  return {
    name: 'convene-blur-assets',
    generateBundle() {
      for (const file of BLUR_ASSET_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `${BLUR_ASSET_PATH.slice(1)}${file}`,
          source: readFileSync(path.join(dir, file)),
        });
      }
    },
    configureServer(server) {
      server.middlewares.use(BLUR_ASSET_PATH, (req, res, next) => {
        const file = BLUR_ASSET_FILES.find((name) => `/${name}` === req.url?.split('?')[0]);
        if (!file) return next();
        const type = file.endsWith('.wasm')
          ? 'application/wasm'
          : file.endsWith('.js')
            ? 'text/javascript'
            : 'application/octet-stream';
        res.setHeader('Content-Type', type);
        res.end(readFileSync(path.join(dir, file)));
      });
    },
  };
}

/** The web app: `vite build` writes dist/web (served by the Convene server); `vite dev` proxies to it. */
export default defineConfig({
  root: 'web',
  plugins: [react(), blurAssets()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      '/ws': { target: 'http://127.0.0.1:8080', ws: true },
      '/healthz': { target: 'http://127.0.0.1:8080' },
    },
  },
});
