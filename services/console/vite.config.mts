import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The security team's web console: built to dist/console, served by the operator API at /console. */
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  // JSX with React's automatic runtime, compiled by Vite's own transformer (no Babel plugin).
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or data: URLs for modules: the CSP allows scripts from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
