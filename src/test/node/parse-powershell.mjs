// Parses PowerShell files with the tree-sitter PowerShell grammar and prints, as JSON on stdout, for each file:
// the ERROR and MISSING nodes of its tree, and every command with its parameters and their string literals.
// Usage: node parse-powershell.mjs NODE_MODULES_DIR FILE...   (the modules are imported from NODE_MODULES_DIR,
// where .ci/install-tools puts them: .tools/node/node_modules)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, ...files] = process.argv.slice(2);
const Parser = (await import(pathToFileURL(join(modules, 'tree-sitter', 'index.js')).href)).default;
const PowerShell = (await import(pathToFileURL(join(modules, 'tree-sitter-powershell', 'bindings', 'node',
    'index.js')).href)).default;
const parser = new Parser();
parser.setLanguage(PowerShell);

function literals(node, out) {
  if (node.type === 'string_literal') {
    const t = node.text;
    if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) {
      out.push(t.slice(1, -1).replace(/''/g, "'"));
    } else {
      out.push(null); // an expandable ("...") string: never written by the renderer
    }
    return out;
  }
  for (const c of node.children) {
    literals(c, out);
  }
  return out;
}

const result = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  // The default 32 KiB buffer splits long lines; the callback form reads any size.
  const tree = parser.parse((index) => text.slice(index, index + 65536));
  const errors = [];
  const commands = [];
  const stack = [tree.rootNode];
  while (stack.length > 0) {
    const n = stack.pop();
    if (n.type === 'ERROR' || n.isMissing) {
      errors.push({ type: n.isMissing ? 'MISSING ' + n.type : 'ERROR', row: n.startPosition.row + 1,
        column: n.startPosition.column + 1, text: n.text.slice(0, 200) });
    }
    if (n.type === 'command') {
      const name = n.childForFieldName('command_name') || n.children.find((c) => c.type === 'command_name');
      const elements = n.children.find((c) => c.type === 'command_elements');
      const params = [];
      if (elements) {
        let current = null;
        for (const e of elements.namedChildren) {
          if (e.type === 'command_argument_sep') {
            continue;
          }
          if (e.type === 'command_parameter') {
            current = { name: e.text, value: null, strings: [] };
            params.push(current);
          } else if (current !== null && current.value === null) {
            current.value = e.text;
            current.strings = literals(e, []);
          } else {
            params.push({ name: null, value: e.text, strings: literals(e, []) });
          }
        }
      }
      commands.push({ name: name ? name.text : null, row: n.startPosition.row + 1, params });
    }
    for (let i = n.childCount - 1; i >= 0; i--) {
      stack.push(n.child(i));
    }
  }
  commands.sort((a, b) => a.row - b.row);
  result.push({ file, errors, commands });
}
process.stdout.write(JSON.stringify(result));
