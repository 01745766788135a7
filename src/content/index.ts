// Public face of the content module: articles, sections, authors, images, search, import and export.
export * from './article.types.ts';
export * from './article.queries.ts';
export { ContentError } from './content.errors.ts';
export { parseInterchange, importDocument, MAX_IMPORT_BYTES, type ImportResult } from './interchange.import.ts';
export { exportDocument } from './interchange.export.ts';
export { imageFile, uploadImage, ensureVariants, readImageVariant, cleanFileName } from './image.store.ts';
export { MAX_SOURCE_BYTES, sniffImageType, imageWork } from './image.pipeline.ts';
export {
  IMAGE_FORMATS, IMAGE_CONTENT_TYPES, RESPONSIVE_WIDTHS, imageWidths, widthAtMost, variantFileName, parseVariantFileName, type ImageFormat,
} from './image-variants.ts';
export { getMedia, listMedia, updateMedia, parseMediaChange, MEDIA_CAPTION_MAX, MEDIA_CREDIT_MAX, type MediaRecord, type MediaPage, type MediaChange } from './media.queries.ts';
export { indexArticle, unindexArticle, searchArticleIds } from './search.queries.ts';
export { renderInline } from './inline-markup.ts';
export { articleSurrogateKeys, recordContentChange } from './content-changes.ts';
export { ARTICLE_LIMITS, BLOCK_TYPES, blockSchemaOf, jsonPath, type BlockFlavour, type FieldError } from './interchange.schema.ts';
