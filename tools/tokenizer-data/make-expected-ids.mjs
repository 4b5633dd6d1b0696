// Writes tests/data/tokenizers/expected/<name>.json: the ids that independent reference implementations give
// for every string of strings.json.
//
//   cd tools/tokenizer-data && npm ci && node make-expected-ids.mjs
//
// Case shape: { name, text, ids, ids_no_special, decoded [, reference, ...] }
//   ids             ids with the special tokens the reference adds (e.g. BOS)
//   ids_no_special  ids without them (what "add_special_tokens = false" gives)
//   decoded         the reference's decode of ids_no_special
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { TokenizerLoader } from '@lenml/tokenizers';
import mistralJs from 'mistral-tokenizer-js';
import { getEncoding } from 'js-tiktoken';
import { toolDir, repoPath, packagePath, packageVersion, readJson, writeText, rel } from './lib/common.mjs';
import { LENML_REFERENCES, TIKTOKEN_REFERENCES } from './lib/references.mjs';

const SEED_PROMPT = 'Can you write an email explaining what an LLM is?';
const SEED_IDS = [1, 2418, 368, 3324, 396, 4927, 20400, 767, 396, 16704, 28755, 349, 28804];
const MISTRAL_SPECIAL_TEXTS = ['<unk>', '<s>', '</s>'];
const outDir = repoPath('tests', 'data', 'tokenizers', 'expected');
const LENML = `@lenml/tokenizers@${packageVersion('@lenml/tokenizers')}`;

const loadStrings = () => readJson(`${toolDir}/strings.json`).strings;

/** One case per string, written one case per line so that diffs stay readable. */
function writeExpected(name, source, notes, cases) {
  const head = JSON.stringify({ tokenizer: name, source, notes }, null, 2).replace(/\n}$/, '');
  const body = cases.map((c) => '    ' + JSON.stringify(c)).join(',\n');
  const file = `${outDir}/${name}.json`;
  writeText(file, `${head},\n  "cases": [\n${body}\n  ]\n}`);
  const back = readJson(file);
  if (!isDeepStrictEqual(back.cases, cases)) throw new Error(`${file} does not parse back to the cases`);
  console.log(`wrote ${rel(file)} (${cases.length} cases)`);
}

function lenmlTokenizer(tokenizerJsonFile, tokenizerConfigFile) {
  return TokenizerLoader.fromPreTrained({
    tokenizerJSON: readJson(tokenizerJsonFile),
    tokenizerConfig: readJson(tokenizerConfigFile),
  });
}

const lenmlEncode = (tok, text, add_special_tokens) => Array.from(tok.encode(text, { add_special_tokens }));
const lenmlDecode = (tok, ids) =>
  ids.length === 0 ? '' : tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });

// ---------------------------------------------------------------- mistral-7b
function makeMistral(strings) {
  const jsVersion = packageVersion('mistral-tokenizer-js');
  const hf = lenmlTokenizer(repoPath('data', 'tokenizers', 'mistral-7b', 'tokenizer.json'),
    repoPath('data', 'tokenizers', 'mistral-7b', 'tokenizer_config.json'));
  const disagreements = [];
  const cases = strings.map(({ name, text }) => {
    // mistral-tokenizer-js: encode(text) = BOS + "▁"-prefixed text; encode(text, false, true) = "▁"-prefixed
    // text without BOS, which is what Hugging Face gives for add_special_tokens=false (its Prepend normalizer
    // still adds "▁"). decode(ids, false, true) drops that leading space again.
    const js = { ids: mistralJs.encode(text), ids_no_special: mistralJs.encode(text, false, true) };
    if (!isDeepStrictEqual(js.ids.slice(1), js.ids_no_special) && text !== '') {
      throw new Error(`mistral-tokenizer-js: encode(text) without BOS differs from encode(text, false, true) for ${name}`);
    }
    const lenml = { ids: lenmlEncode(hf, text, true), ids_no_special: lenmlEncode(hf, text, false) };
    const hasSpecialText = MISTRAL_SPECIAL_TEXTS.some((s) => text.includes(s));
    const agree = isDeepStrictEqual(js, lenml);
    if (!agree && !hasSpecialText && text !== '') disagreements.push({ name, text, js, lenml });

    if (hasSpecialText || text === '') {
      // Hugging Face reads "<s>", "</s>", "<unk>" typed in the text as the special tokens; mistral-tokenizer-js
      // reads them as plain characters. For "" mistral-tokenizer-js returns [] (no BOS); HF returns [1].
      return {
        name, text, ...lenml, decoded: lenmlDecode(hf, lenml.ids_no_special),
        reference: '@lenml/tokenizers',
        ids_mistral_tokenizer_js: js.ids,
        ids_no_special_mistral_tokenizer_js: js.ids_no_special,
      };
    }
    return {
      name, text, ...js,
      decoded: js.ids_no_special.length === 0 ? '' : mistralJs.decode(js.ids_no_special, false, true),
      reference: 'mistral-tokenizer-js',
    };
  });

  const seed = cases.find((c) => c.text === SEED_PROMPT);
  if (!seed || !isDeepStrictEqual(seed.ids, SEED_IDS)) {
    throw new Error(`seed prompt ids ${JSON.stringify(seed?.ids)} differ from ${JSON.stringify(SEED_IDS)}`);
  }
  if (disagreements.length > 0) {
    for (const d of disagreements) console.error('DISAGREEMENT', JSON.stringify(d));
    throw new Error(`mistral-tokenizer-js and ${LENML} disagree on ${disagreements.length} plain strings`);
  }

  writeExpected('mistral-7b',
    `mistral-tokenizer-js@${jsVersion}: ids = encode(text); ids_no_special = encode(text, false, true) ` +
    `(no BOS, but the leading "▁" that Hugging Face's Prepend normalizer also adds); ` +
    `decoded = decode(ids_no_special, false, true). Cases marked "reference": "@lenml/tokenizers" ` +
    `(the empty string and texts containing "<s>", "</s>", "<unk>") come from ${LENML} with ` +
    `data/tokenizers/mistral-7b/tokenizer.json + tokenizer_config.json: encode(text, { add_special_tokens }) and ` +
    `decode(ids_no_special, { skip_special_tokens: false, clean_up_tokenization_spaces: false }).`,
    [
      `Every other string was also encoded with ${LENML} and data/tokenizers/mistral-7b/tokenizer.json: ` +
      `the two references agree on all of them (checked each time this file is generated).`,
      'mistral-tokenizer-js reads "<s>", "</s>", "<unk>" typed in the text as plain characters; Hugging Face ' +
      'tokenizers read them as the special tokens. Those cases keep the plain-text ids in ' +
      'ids_mistral_tokenizer_js / ids_no_special_mistral_tokenizer_js.',
      `Seed prompt checked: ${JSON.stringify(SEED_IDS)}.`,
    ],
    cases);
}

// ---------------------------------------------------------------- llama2 / llama3 / qwen3 (@lenml)
function makeLenml(strings, ref) {
  const tok = lenmlTokenizer(packagePath(ref.pkg, 'models', 'tokenizer.json'),
    packagePath(ref.pkg, 'models', 'tokenizer_config.json'));
  const cases = strings.map(({ name, text }) => {
    const ids = lenmlEncode(tok, text, true);
    const ids_no_special = lenmlEncode(tok, text, false);
    return { name, text, ids, ids_no_special, decoded: lenmlDecode(tok, ids_no_special) };
  });
  writeExpected(ref.name,
    `${LENML} with ${ref.pkg}@${packageVersion(ref.pkg)} models/tokenizer.json + tokenizer_config.json ` +
    `(the files in tests/data/tokenizers/${ref.name}/): ids = encode(text, { add_special_tokens: true }); ` +
    `ids_no_special = encode(text, { add_special_tokens: false }); decoded = decode(ids_no_special, ` +
    `{ skip_special_tokens: false, clean_up_tokenization_spaces: false }).`,
    [ref.origin, 'Special-token text typed in a string (e.g. "<|endoftext|>") is read as that special token ' +
      'when the tokenizer has it as an added token, as Hugging Face tokenizers do.'],
    cases);
}

// ---------------------------------------------------------------- tiktoken encodings
function makeTiktoken(strings, encodingName) {
  const enc = getEncoding(encodingName);
  const cases = strings.map(({ name, text }) => {
    // allowedSpecial = [], disallowedSpecial = []: special-token text such as "<|endoftext|>" is plain text.
    const ids = enc.encode(text, [], []);
    return { name, text, ids, ids_no_special: ids, decoded: enc.decode(ids) };
  });
  writeExpected(encodingName,
    `js-tiktoken@${packageVersion('js-tiktoken')} getEncoding("${encodingName}"): ids = ids_no_special = ` +
    `encode(text, [], []) (no special tokens allowed or disallowed: special-token text is encoded as plain ` +
    `text); decoded = decode(ids).`,
    ['tiktoken adds no BOS/EOS, so ids == ids_no_special.'],
    cases);
}

export function main() {
  const strings = loadStrings();
  fs.mkdirSync(outDir, { recursive: true });
  makeMistral(strings);
  for (const ref of LENML_REFERENCES) makeLenml(strings, ref);
  for (const name of TIKTOKEN_REFERENCES) makeTiktoken(strings, name);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
