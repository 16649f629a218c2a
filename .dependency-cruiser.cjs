// The import rules of the design page (shared/DESIGN.md, "Folders and the direction of imports").
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'vm-imports-nothing-of-ours', severity: 'error', from: { path: '^vm/' }, to: { path: '^(platform|sentry|gofer|netstack|container-runtime|test)/' } },
    { name: 'netstack-imports-nothing-of-ours', severity: 'error', from: { path: '^netstack/' }, to: { path: '^(vm|platform|sentry|gofer|container-runtime|test)/' } },
    { name: 'platform-imports-only-vm', severity: 'error', from: { path: '^platform/' }, to: { path: '^(sentry|gofer|netstack|container-runtime|test)/' } },
    // The Sentry may use the Gofer's pure protocol and client modules (never its server).
    { name: 'sentry-imports-platform-netstack-gofer-client', severity: 'error', from: { path: '^sentry/' }, to: { path: '^(vm|container-runtime|test)/|^gofer/(?!(protocol|client)\.ts$)' } },
    { name: 'gofer-imports-only-itself', severity: 'error', from: { path: '^gofer/' }, to: { path: '^(vm|platform|sentry|netstack|container-runtime|test)/' } },
    { name: 'core-uses-no-node-api', severity: 'error', from: { path: '^(vm|netstack)/' }, to: { dependencyTypes: ['core'] } },
    { name: 'node-api-only-in-node-folders', severity: 'error', from: { path: '^(platform|sentry)/', pathNot: '/node/' }, to: { dependencyTypes: ['core'] } },
    { name: 'no-circular', severity: 'error', from: { path: '^(vm|platform|netstack|gofer|container-runtime)/' }, to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
