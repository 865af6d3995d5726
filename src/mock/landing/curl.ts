/** Copyable curl command lines for the landing page: one argument group a line, every argument quoted for POSIX sh. */
import type { DocumentEntry } from '../types.js';

export function curl(url: string, request: DocumentEntry['request']): string {
  const lines = [
    ['curl', '-i', '-X', request.method, url],
    ...Object.entries(request.headers).map(([name, value]) => ['-H', `${name}: ${value}`]),
    ...(request.body === undefined ? [] : [['--data', JSON.stringify(request.body)]]),
  ];
  return lines.map((args) => args.map(quote).join(' ')).join(' \\\n  ');
}

/** Single quotes keep everything literal in sh; a quote inside is closed, escaped and reopened. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
