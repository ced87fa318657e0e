// Event types as a person types them (for a webhook endpoint, or to narrow the Events page):
// separated by commas or spaces, blanks ignored. The service judges what is left.
export function eventTypesOf(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}
