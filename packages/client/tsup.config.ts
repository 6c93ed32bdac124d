import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { resolve: true },
  clean: true,
  minify: false,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['openapi-fetch'],
});
