// The widdershins templates users-api-v2.md was rendered with (a copy of the shared render
// tool's templates.js, so the project needs nothing outside itself): widdershins' stock
// openapi3 templates with three edits —
//   1. enum tables read member names and descriptions from the schema's x-ms-enum extension
//      and print a third column, Description;
//   2. each JavaScript sample starts with a `// javascript` line;
//   3. each Python sample starts with a `# python` line and a blank line.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const STOCK = path.join(path.dirname(require.resolve('widdershins/package.json')), 'templates', 'openapi3');

/** Writes the edited template folder to `out`. */
export function writeTemplates(out: string): void {
  mkdirSync(out, { recursive: true });
  for (const name of readdirSync(STOCK)) copyFileSync(path.join(STOCK, name), path.join(out, name));

  const edit = (name: string, from: string, to: string) => {
    const file = path.join(out, name);
    const text = readFileSync(file, 'utf8');
    // a silent no-op would render a different document; the pinned widdershins must match
    if (!text.includes(from))
      throw new Error(`${name}: the stock template changed; cannot find ${JSON.stringify(from)}`);
    writeFileSync(file, text.replace(from, to));
  };

  edit(
    'main.dot',
    'if (p.schema && p.schema.enum) {',
    "if (p.schema && p.schema['x-ms-enum'] && Array.isArray(p.schema['x-ms-enum'].values)) {\n" +
      "         for (var e of p.schema['x-ms-enum'].values) {\n" +
      '           enums.push({name:e.name,value:e.value,description:e.description});\n' +
      '         }\n' +
      '       }\n' +
      '       else if (p.schema && p.schema.enum) {',
  );
  edit(
    'main.dot',
    '|Property|Value|\n|---|---|\n{{~ enums :e}}|{{=e.name}}|{{=data.utils.toPrimitive(e.value)}}|',
    "|Property|Value|Description|\n|---|---|---|\n{{~ enums :e}}|{{=e.name}}|{{=data.utils.toPrimitive(e.value)}}|{{=e.description||''}}|",
  );
  for (const [name, head] of [
    ['code_javascript.dot', '// javascript\n'],
    ['code_python.dot', '# python\n\n'],
  ] as const) {
    const file = path.join(out, name);
    writeFileSync(file, head + readFileSync(file, 'utf8'));
  }
}
