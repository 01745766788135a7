// What the document's node views and commands need from the rest of the editor page (meta state, announcements).
import type { AccessLevel } from '../../content/article.types.ts';

export interface EditorContext {
  /** the interview partners remembered for this article, in shortcut order (Alt+1 is the first) */
  speakers(): string[];
  /** remembers a new interview partner (no-op for a known or empty name) */
  addSpeaker(name: string): void;
  access(): AccessLevel;
  /** the URL of a library image's small preview ('' when the library does not know it) */
  imageSrc(imageId: string): Promise<string>;
  /** a polite message for screen readers (and the status line) */
  announce(message: string): void;
}
