// Folder dependencies point one way (STYLE.md 19); CI fails on any other direction.
const layer = (from, allowed) => ({
  name: `${from}-imports`,
  severity: 'error',
  comment: `src/${from} may import only: ${allowed.join(', ') || 'nothing in src'}`,
  from: { path: `^src/${from}/`, pathNot: '\\.test\\.ts$' },
  to: { path: '^src/', pathNot: [`^src/${from}/`, ...allowed.map((a) => `^src/${a}/`)] },
});

module.exports = {
  forbidden: [
    layer('lib', []),
    layer('config', ['lib']),
    layer('events', ['lib']),
    layer('protocols', ['events', 'lib']),
    layer('sensor', ['protocols', 'events', 'config', 'lib']),
    layer('classify', ['events', 'lib']),
    layer('enrich', ['events', 'lib']),
    layer('analyze', ['classify', 'enrich', 'events', 'lib']),
    layer('store', ['events', 'lib']),
    layer('report', ['store', 'events', 'lib']),
    layer('dashboard', ['report', 'store', 'events', 'lib']),
    {
      name: 'protocol-isolation',
      severity: 'error',
      comment: 'a protocol folder never imports another protocol folder',
      from: { path: '^src/protocols/([^/]+)/' },
      to: { path: '^src/protocols/([^/]+)/', pathNot: '^src/protocols/$1/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
