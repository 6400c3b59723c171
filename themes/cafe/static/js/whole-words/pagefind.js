// Pagefind's search API, searching whole words first (templates/search.html
// gives Pagefind's UI this folder as its bundle path, so the UI imports this
// module instead of ../../pagefind/pagefind.js and searches through it).
//
// Pagefind matches the words a term begins ("playb" finds "playbook"), and
// when no word of the index begins it, it falls back to the longest word
// that begins the term: in one partner's folder another partner's name
// found an unrelated shorter word (a name starting "vector…" found
// "vector") — a result that looks like a leak, though the index holds only
// this output's own pages. So:
//
// 1. pages with the term as whole words (Pagefind's quoted, exact search)
//    come first, in the order of Pagefind's ranking, then its other results;
// 2. with no such page, each word but the last must be a whole word of the
//    index, or nothing matches; the last may be a word being typed:
//    Pagefind's results are kept only if the last word is a whole word or
//    their words begin with it. A word found by shortening the term finds
//    nothing.
//
// A term the reader quotes is Pagefind's exact search, as before.
import * as pagefind from "../../pagefind/pagefind.js";

export const options = pagefind.options;
export const init = pagefind.init;
export const destroy = pagefind.destroy;
export const mergeIndex = pagefind.mergeIndex;
export const filters = pagefind.filters;
export const preload = pagefind.preload;

const quoted = (term) => '"' + term.replace(/"/g, "") + '"';

// Words as Pagefind's indexer reads them: lower case, without diacritics;
// a hyphenated word both whole ("firstcall") and in parts.
function wordsOf(text) {
  const plain = text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const words = [];
  for (const token of plain.split(/\s+/)) {
    words.push(token.replace(/[^\p{L}\p{N}]/gu, ""));
    words.push(...token.split(/[^\p{L}\p{N}]+/u));
  }
  return words.filter((w) => w.length > 0);
}

async function isWholeWord(word) {
  const found = await pagefind.search(quoted(word));
  return !!found && found.results.length > 0;
}

// Whether a result's page has a word that begins with `prefix`.
async function begins(result, prefix) {
  const data = await result.data();
  const text = [data.meta && data.meta.title, data.content].filter(Boolean).join(" ");
  return wordsOf(text).some((w) => w.startsWith(prefix));
}

export async function search(term, options) {
  if (term === null || term === undefined || !term.trim() || /^\s*".+"\s*$/.test(term)) {
    return pagefind.search(term, options);
  }
  const [exact, loose] = await Promise.all([
    pagefind.search(quoted(term), options),
    pagefind.search(term, options),
  ]);
  if (exact === null || loose === null) return loose;
  if (exact.results.length > 0) {
    // Every word is in the index: Pagefind shortened none of them.
    const whole = new Set(exact.results.map((r) => r.id));
    const first = loose.results.filter((r) => whole.has(r.id));
    const rest = loose.results.filter((r) => !whole.has(r.id));
    return { ...loose, results: first.concat(rest) };
  }
  if (loose.results.length === 0) return loose;
  const words = term.trim().split(/\s+/);
  for (const word of words.slice(0, -1)) {
    if (!(await isWholeWord(word))) return exact;
  }
  const last = words[words.length - 1];
  const prefix = wordsOf(last)[0];
  if (prefix === undefined || (await isWholeWord(last))) return loose;
  // Pagefind either extended the last word for every result or shortened
  // it for every result: the first result tells which.
  return (await begins(loose.results[0], prefix)) ? loose : exact;
}

export async function debouncedSearch(term, options, timeout = 300) {
  await new Promise((resolve) => setTimeout(resolve, timeout));
  return search(term, options);
}
