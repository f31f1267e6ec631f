// The layer rule of docs/DESIGN.md as an ESLint rule: each folder may import only the folders listed for
// it. Resolves every relative import (static, dynamic, re-export, require) to its folder and reports
// `layers/allowed-imports` naming both layers. Packages are left to no-restricted-imports.
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/** Folder (relative to the repo root) → the layers it may import. Order matters: first match wins. */
export const LAYERS = [
  { name: 'shared', dir: 'shared', may: ['shared'] },
  { name: 'node', dir: 'electron/node', may: ['shared', 'node'] },
  { name: 'app', dir: 'electron/app', may: ['shared', 'node', 'app'] },
  { name: 'main', dir: 'electron/main', may: ['shared', 'node', 'app', 'main'] },
  { name: 'preload', dir: 'electron/preload', may: ['shared', 'preload'] },
  { name: 'cli', dir: 'electron/cli', may: ['shared', 'node', 'cli'] },
  { name: 'renderer', dir: 'renderer', may: ['shared', 'renderer'] },
];

export function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return LAYERS.find((l) => rel === l.dir || rel.startsWith(l.dir + '/')) ?? null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the runtime layers of docs/DESIGN.md' },
    messages: {
      forbidden:
        "layers/allowed-imports: {{from}} ({{fromDir}}/) may not import {{to}} ({{toDir}}/) — allowed: {{may}}. See docs/DESIGN.md 'Layers'.",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const from = layerOf(file);
    if (!from) return {};
    function check(node, spec) {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(file), spec));
      if (!to || from.may.includes(to.name)) return;
      context.report({
        node,
        messageId: 'forbidden',
        data: { from: from.name, fromDir: from.dir, to: to.name, toDir: to.dir, may: from.may.join(', ') },
      });
    }
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
      CallExpression: (n) => {
        if (
          n.callee.type === 'Identifier' &&
          n.callee.name === 'require' &&
          n.arguments[0]?.type === 'Literal'
        )
          check(n.arguments[0], n.arguments[0].value);
      },
    };
  },
};

export default { rules: { 'allowed-imports': rule } };
