import { defineConfig } from "vitest/config";

// Pin a zone that is neither UTC nor London before workers start, so any use of
// local-time Date getters shows up as a failing test.
process.env.TZ = "America/Sao_Paulo";

export default defineConfig({
  ssr: { resolve: { conditions: ["community-safety-source"] } },
  resolve: { conditions: ["community-safety-source"] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { TZ: "America/Sao_Paulo" },
  },
});
