import { defineConfig } from 'vitest/config';

// The Spring Boot server serves the bundle from classpath:/static/app/, so the names are fixed
// (dashboard.html links /app/app.js and /app/app.css) and there is no HTML entry in the build.
export default defineConfig({
  base: '/app/',
  build: {
    outDir: '../target/classes/static/app',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    cssCodeSplit: false,
    rollupOptions: {
      input: 'src/main.ts',
      output: {
        entryFileNames: 'app.js',
        chunkFileNames: 'app-[name].js',
        assetFileNames: 'app[extname]',
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
