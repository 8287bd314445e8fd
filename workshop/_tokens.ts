/**
 * The private adapter over `gpt-tokenizer`: real token counts in OpenAI's
 * `o200k_base` encoding, offline. Loaded only when a budget is asked for: the
 * vocabulary costs ~180 ms or more to import.
 *
 * @module
 */

/** The tokenizer datum counts budgets in. */
export const TOKENIZER = "o200k_base";

/** Counts the tokens of a text. */
export type TokenCounter = (text: string) => number;

/**
 * Loads the tokenizer.
 *
 * @returns A function that counts tokens.
 */
export async function loadTokenCounter(): Promise<TokenCounter> {
  const { countTokens } = await import("gpt-tokenizer/o200k-base");
  return (text: string): number => countTokens(text);
}
