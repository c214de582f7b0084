// html-to-text 10 ships no types; this declares the functions we use.
declare module 'html-to-text' {
  export interface HtmlToTextOptions {
    wordwrap?: number | false | null;
    preserveNewlines?: boolean;
    selectors?: Array<{ selector: string; format?: string; options?: Record<string, unknown> }>;
    limits?: { maxInputLength?: number; maxChildNodes?: number; maxDepth?: number };
  }
  export function convert(html: string, options?: HtmlToTextOptions): string;
  export function compile(options?: HtmlToTextOptions): (html: string) => string;
}
