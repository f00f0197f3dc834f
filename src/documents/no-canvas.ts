/**
 * Imported first by the pool worker (worker.ts). pdf-parse's bundled pdf.js loads
 * @napi-rs/canvas (Skia: 31 MB of native code, ~16–30 MB of RSS in every document process)
 * only for rendering: DOMMatrix, ImageData and Path2D polyfills and a canvas factory. We only
 * read text (pages are rendered by pdftoppm), so the worker gets a stand-in with the three
 * classes (pdf.js builds one DOMMatrix at load) and no canvas: a render, should one ever be
 * asked for, fails as a reader error instead of drawing. Checked: the 62 PDFs of the fixtures,
 * the corpus and the tests read to the same records with and without it.
 */
import Module from 'node:module';

const CANVAS = '@napi-rs/canvas';
const standIn = { DOMMatrix: class DOMMatrix {}, ImageData: class ImageData {}, Path2D: class Path2D {} };

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Load };
const load = mod._load;
mod._load = function (request: string, parent: unknown, isMain: boolean): unknown {
  return request === CANVAS ? standIn : load.call(this, request, parent, isMain);
};
