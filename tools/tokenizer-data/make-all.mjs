// Regenerates every tokenizer data file of the repository, then runs the Mistral agreement check.
//
//   cd tools/tokenizer-data && npm ci && node make-all.mjs
//
// Order matters: the expected ids use data/tokenizers/mistral-7b/tokenizer.json, and the SentencePiece
// model's self-check uses the expected ids.
import * as mistral from './make-mistral-tokenizer.mjs';
import * as references from './copy-reference-tokenizers.mjs';
import * as expected from './make-expected-ids.mjs';
import * as sentencepiece from './make-sentencepiece-model.mjs';
import * as agreement from './check-mistral-agreement.mjs';

await mistral.main();            // data/tokenizers/mistral-7b/
references.main();               // tests/data/tokenizers/{llama2,llama3,qwen3}/
expected.main();                 // tests/data/tokenizers/expected/*.json
await sentencepiece.main();      // tests/data/tokenizers/mistral-sentencepiece/
agreement.main();                // wider check, writes nothing
