// Chinese search for the course site (see book/_ext/course_site.py).  Written for this course.
//
// Sphinx indexes Chinese text segmented by jieba, but its search box splits a query only at spaces and
// punctuation, so an unspaced query such as "劑量最佳化" would be looked up as one word.  Sphinx's
// searchtools.js keeps a `splitQuery` defined before it loads; this one segments each run of Han characters
// against the words of the loaded index by forward maximum matching (whole indexed phrases win).
var splitQuery = (query) => {
  const parts = query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((t) => t);
  const index = typeof Search !== "undefined" && Search._index ? Search._index : null;
  if (!index) return parts;
  const words = new Set([...Object.keys(index.terms || {}), ...Object.keys(index.titleterms || {})]);
  let longest = 1;
  words.forEach((w) => { if (/\p{Script=Han}/u.test(w)) longest = Math.max(longest, Array.from(w).length); });
  const out = [];
  for (const part of parts) {
    if (!/\p{Script=Han}/u.test(part) || words.has(part)) { out.push(part); continue; }
    const chars = Array.from(part);
    let i = 0;
    while (i < chars.length) {
      let j = Math.min(chars.length, i + longest);
      while (j > i + 1 && !words.has(chars.slice(i, j).join(""))) j--;
      out.push(chars.slice(i, j).join(""));
      i = j;
    }
  }
  return out;
};
