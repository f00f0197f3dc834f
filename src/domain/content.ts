/**
 * What a format reader extracts from a document, before anyone decides what the
 * document is: the hand-over between src/documents (readers) and src/forms (fields).
 *
 * Readers keep the layout they can see: a .docx gives paragraphs and tables with
 * cells; a PDF or .doc gives lines (tables are flattened to text, cells separated by
 * tabs where the reader knows them). Check boxes are rendered into the text as the
 * reader found them: a ticked content-control or legacy form field becomes `☑`,
 * an unticked one `☐`; symbol glyphs (Wingdings → U+1F5F9 🗹 / U+1F78E 🞎, ■, √ …)
 * are passed through as they are, for src/forms to interpret.
 */
export interface Cell {
  /** Paragraphs of the cell, in order (line breaks inside a paragraph become `\n`). */
  paragraphs: string[];
  colspan: number;
  rowspan: number;
}

export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'table'; rows: Cell[][] };

export interface DocumentContent {
  blocks: Block[];
  /** Plain text of the whole document, paragraphs and table rows on their own lines. */
  text: string;
}
