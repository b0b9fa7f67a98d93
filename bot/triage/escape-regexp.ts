/** `text` as a regular expression that matches exactly it (for wordings and names built into patterns). */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
