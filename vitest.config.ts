// Test runner settings. End-to-end tests start real sensors as child processes; on a busy
// two-core machine a start can take seconds, so a test gets 30 s before it counts as hung.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
