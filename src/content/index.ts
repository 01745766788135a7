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
export {
  articleSurrogateKeys, recordContentChange, surrogateKeyList, claimContentChangesForPurge, ContentChangeFeed, CONTENT_CHANGES_CHANNEL,
  type ContentChange, type ContentChangeFeedOptions,
} from './content-changes.ts';
export { ARTICLE_LIMITS, BLOCK_TYPES, blockSchemaOf, jsonPath, type BlockFlavour, type FieldError } from './interchange.schema.ts';
export {
  listSectionsWithUsage, createSection, updateSection, moveSection, deleteSection, RESERVED_SECTION_SLUGS, SECTION_NAME_MAX, SECTION_DESCRIPTION_MAX,
  type SectionWithUsage,
} from './section-admin.ts';
export { listBylines, createByline, updateByline, deleteByline, BYLINE_NAME_MAX, BYLINE_BIO_MAX, type Byline, type BylineInput } from './byline-admin.ts';
// the demo's seeded PRNG (mulberry32), also used by the generated big paper
export { seededRng } from './demo/photos.ts';
