// Shared helpers for the tokenizer-data scripts: paths, package versions, JSON writing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const toolDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(toolDir, '..', '..');

/** Absolute path inside the repository from a repository-relative path. */
export const repoPath = (...parts) => path.join(repoRoot, ...parts);

/** Absolute path of a file inside an installed npm package. */
export const packagePath = (pkg, ...parts) => path.join(toolDir, 'node_modules', ...pkg.split('/'), ...parts);

/** The installed version of an npm package (read from its package.json). */
export function packageVersion(pkg) {
  return JSON.parse(fs.readFileSync(packagePath(pkg, 'package.json'), 'utf8')).version;
}

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Writes text with a trailing newline, creating the folder first. */
export function writeText(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text.endsWith('\n') ? text : text + '\n', 'utf8');
}

/** Writes JSON with 2-space indentation. */
export function writeJson(file, value) {
  writeText(file, JSON.stringify(value, null, 2));
}

/** Repository-relative path with forward slashes, for messages and generated docs. */
export const rel = (file) => path.relative(repoRoot, file).split(path.sep).join('/');
