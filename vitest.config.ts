import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    // Installs what the integration tests need (Dovecot) on a clean machine.
    globalSetup: ['tests/setup/install-dovecot.ts'],
    hookTimeout: 120_000,
    // Tests write to their own temp folders; artefacts worth keeping go to tests/artifacts.
    reporters: ['default'],
  },
});
