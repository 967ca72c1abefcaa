// The import rules between tvd's stages (docs/architecture.md), checked by `npm run lint:deps`.
// A rule here is the architecture; an entry under TEMPORARY is a known breach with the change that
// removes it. Add to TEMPORARY only with a reason, and delete the entry in the change that fixes it.

// The pure core: topology -> capabilities -> plan -> render is plain data in, plain data out
// (src/errors: the user's error type; src/host: where tvd's files live on a host and the scripts
// that mark and lock them; src/shell: sh quoting; src/address: resource addresses, printed and
// parsed; all four used by every stage).
const PURE = '^src/(errors|host|shell|address|topology|capabilities|plan|apply/render)/';
// ...except its edges, which read files or talk SSH on the core's behalf.
const PURE_EDGES = [
  '^src/topology/(load|source)\\.ts$', // reads the topology file or folder
  '^src/capabilities/(collect|files|read-files)\\.ts$', // probes hosts over SSH; reads/writes --capabilities DIR
];
// The parts of src/state that are plain data and checks (no file, no database).
const STATE_PURE = '^src/state/(state|check-state|secret-mask|write-check)\\.ts$';
// The TypeBox models, read only by the build (scripts/schema-files.ts, write-validators.ts).
const BUILD_TIME = '^src/(topology|capabilities)/schema\\.ts$';
// A stage is a folder src/<stage>/ with what is under it; src/apply/render is a stage of its own.
// The group is the stage's name, for no-stage-cycle.
const STAGE = '^src/(apply/render|[^/]+)';
// Node modules that do I/O or start processes.
const IO_CORE = '^(node:)?(fs|fs/promises|child_process|net|dgram|dns|http|https|http2|tls|readline|worker_threads|cluster|os)$';

// Known breaches, each with the change that removes it; none today (the refresh stage, src/refresh,
// removed the apply <-> verify cycle and verify's use of the CLI). `TVD_DEPS_STRICT=1 npm run lint:deps`
// drops them, to list what is left.
const TEMPORARY_ON = process.env.TVD_DEPS_STRICT !== '1';
const TEMPORARY = { applyToVerify: [], verifyToApply: [], toCli: [] };
if (!TEMPORARY_ON) for (const k of Object.keys(TEMPORARY)) TEMPORARY[k] = [];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No module cycles. Type-only imports are left out: they vanish at run time (the lab kinds share result types with their dispatchers).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-stage-cycle',
      severity: 'error',
      comment:
        'No cycle between stages: each stage is a unit that the stages after it build on, and none reaches back to a stage that imports it (docs/architecture.md lists them in order). ' +
        "Type-only imports count: the stage that names a type knows of the other. Folder scope: dependency-cruiser adds up each folder's imports and finds the cycles between folders; " +
        'an import from one stage to another that is part of such a cycle is an error (a cycle between folders of one stage, src/cli/commands and src/cli/actions say, is not).',
      scope: 'folder',
      from: { path: STAGE },
      to: { path: '^src/', pathNot: '^src/$1(/|$)', circular: true },
    },
    {
      name: 'pure-core-no-io',
      severity: 'error',
      comment: 'topology, capabilities, plan and render are pure: no files, processes or network (their edges excepted).',
      from: { path: PURE, pathNot: PURE_EDGES },
      to: { dependencyTypes: ['core'], path: IO_CORE },
    },
    {
      name: 'pure-core-no-shell',
      severity: 'error',
      comment: 'The pure core does not reach for the imperative shell: SSH, the CLI, applying, state I/O.',
      from: { path: PURE, pathNot: PURE_EDGES },
      to: { path: ['^src/(ssh|cli|verify|refresh)/', '^src/apply/(?!render/)', '^src/state/'], pathNot: STATE_PURE },
    },
    {
      name: 'pure-core-edges-no-shell',
      severity: 'error',
      comment: "The core's edges may read files and talk SSH, but not use the CLI, apply or the state backends.",
      from: { path: PURE_EDGES },
      to: { path: ['^src/(cli|verify|refresh)/', '^src/apply/(?!render/)', '^src/state/'], pathNot: STATE_PURE },
    },
    {
      name: 'plan-not-apply-or-cli',
      severity: 'error',
      comment: 'The planner decides; rendering and applying come after it and are never its input.',
      from: { path: '^src/plan/' },
      to: { path: '^src/(apply|cli)/' },
    },
    {
      name: 'render-not-apply',
      severity: 'error',
      comment: 'Rendering is pure: src/apply uses render, never the other way round.',
      from: { path: '^src/apply/render/' },
      to: { path: '^src/apply/(?!render/)' },
    },
    {
      name: 'apply-not-verify',
      severity: 'error',
      comment: 'apply and verify are two users of the hosts; neither is built on the other.',
      from: { path: '^src/apply/(?!render/)', pathNot: TEMPORARY.applyToVerify },
      to: { path: '^src/verify/' },
    },
    {
      name: 'verify-not-apply',
      severity: 'error',
      comment: 'verify may compare with what render writes, but not use the apply stage.',
      from: { path: '^src/verify/', pathNot: TEMPORARY.verifyToApply },
      to: { path: '^src/apply/(?!render/)' },
    },
    {
      name: 'refresh-before-apply-and-verify',
      severity: 'error',
      comment:
        'Reading hosts back (src/refresh) is the front half that plan, apply, destroy and verify share: it uses the planner and the renderer, never apply, verify or the CLI.',
      from: { path: '^src/refresh/' },
      to: { path: ['^src/(cli|verify)/', '^src/apply/(?!render/)'] },
    },
    {
      name: 'only-cli-imports-cli',
      severity: 'error',
      comment: 'The CLI is the outermost shell: no stage imports it.',
      from: { path: '^src/', pathNot: ['^src/cli/', ...TEMPORARY.toCli] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'src-not-tools',
      severity: 'error',
      comment: 'The product does not import the lab, the tests, the benchmarks or the build scripts.',
      from: { path: '^src/' },
      to: { path: '^(lab|test|bench|scripts)/' },
    },
    {
      name: 'lab-not-tests',
      severity: 'error',
      comment: 'The lab is a tool the tests and benchmarks use, not the other way round.',
      from: { path: '^lab/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'run-time-no-dev-deps',
      severity: 'error',
      comment:
        'What runs in an installed tvd (src, and the lab that package.json ships) uses dependencies only; devDependencies such as TypeBox are for the build.',
      from: { path: '^(src|lab)/', pathNot: BUILD_TIME },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'run-time-no-schema-model',
      severity: 'error',
      comment: 'The TypeBox models are read at build time (schemas/, validators); run-time code imports their types only.',
      from: { path: '^(src|lab)/', pathNot: BUILD_TIME },
      to: { path: BUILD_TIME, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      // program.ts reads the installation's package.json through createRequire(PACKAGE_ROOT): not a module path.
      to: { couldNotResolve: true, pathNot: '^\\./package\\.json$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true, // see type-only imports too (the no-circular rule leaves them out itself)
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
