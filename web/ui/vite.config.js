// Builds the browser assets into ../dist (committed, embedded by package web with go:embed).
// Pages: graphiql.html (served at /), movie.html (/movies/{id}, /people/{id}), widget.html
// (/widget/{id}); public/widget.js is the script-tag embed of the widget.
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

export default defineConfig({
  base: '/static/',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        graphiql: resolve(import.meta.dirname, 'graphiql.html'),
        movie: resolve(import.meta.dirname, 'movie.html'),
        widget: resolve(import.meta.dirname, 'widget.html'),
      },
    },
  },
  // `npm run dev` proxies the API to a running `go run .`.
  server: {
    proxy: { '/graphql': { target: 'http://localhost:8080', ws: true } },
  },
});
