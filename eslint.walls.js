/**
 * The lint rule that keeps each service to its own folder. The walls between services (docs/ARCHITECTURE.md, "Walls between services"). A file in
 * src/<service>/ may import its own folder, src/platform/, and another service only through
 * that service's front door, ../<service>/index.js. Only the composition layer (main.ts,
 * compose.ts, storage/, the command-line programs) picks adapters, so no service imports it.
 * Tests (*.test.ts) may reach anywhere to set up what they exercise.
 */
export const SERVICES = ['auth', 'score', 'leaderboard', 'moderation', 'realtime'];
const COMPOSITION = ['../storage/*', '../compose.js', '../main.js', '../app.js', '../backup.js', '../keys.js', '../credentials.js', '../web/*'];
/** @type {(folder: string, allowedServices: boolean) => import('eslint').Linter.Config} */
export const wall = (folder, allowedServices) => ({
  files: [`src/${folder}/**/*.ts`],
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...SERVICES.filter((other) => other !== folder).map((other) => ({
            group: allowedServices ? [`../${other}/*`, `!../${other}/index.js`] : [`../${other}/*`],
            message: allowedServices
              ? `src/${folder} may use the ${other} service only through its front door, ../${other}/index.js (what it exports is the service's public port).`
              : `src/${folder} is shared by every service and imports none of them.`,
          })),
          { group: COMPOSITION, message: `src/${folder} must not import the composition layer: adapters are picked in src/storage/ and wired in src/compose.ts.` },
        ],
      },
    ],
  },
});
