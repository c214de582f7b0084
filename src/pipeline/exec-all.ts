/**
 * All matches of a global regular expression, like String.prototype.matchAll but without cloning
 * the expression on every call (matchAll copies it, which costs more than the match itself for
 * the large rule alternations run on every message).
 */
export function* execAll(re: RegExp, text: string): Generator<RegExpExecArray> {
  if (!re.global) throw new Error(`execAll needs a global regular expression: /${re.source}/${re.flags}`);
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++; // an empty match must not loop forever
    yield m;
  }
}
