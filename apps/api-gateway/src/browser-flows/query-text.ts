/** One string parameter of a provider's redirect, or undefined when absent, repeated, empty or too long. */
export function queryText(query: Record<string, unknown>, name: string, maxLength: number): string | undefined {
  const value = query[name];
  return typeof value === 'string' && value !== '' && value.length <= maxLength ? value : undefined;
}
